// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using Charter.Tests.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Charter.FunctionalTests.Azure;

/// <summary>A loopback HTTP proxy between the gateway and the simulator that records what the gateway sent upstream
/// (URL, headers, body) and relays the answer unchanged, streams included.</summary>
internal sealed class RecordingProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _client = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };

    private RecordingProxy(WebApplication app)
    {
        _app = app;
    }

    /// <summary>Where requests are relayed to (the simulator's root); set before the first request.</summary>
    public Uri? Target { get; set; }

    /// <summary>The proxy's own root URL, without a trailing slash.</summary>
    public string BaseUrl => TestGateway.Address(_app);

    /// <summary>Requests seen, in order.</summary>
    public ConcurrentQueue<SeenRequest> Requests { get; } = new();

    public static async Task<RecordingProxy> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var proxy = new RecordingProxy(app);
        app.Run(proxy.HandleAsync);
        await app.StartAsync();
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _client.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var pathAndQuery = request.Path.Value + request.QueryString.Value;
        string? apiKey = request.Headers.TryGetValue("api-key", out var k) ? k.ToString() : null;
        string? authorization = request.Headers.TryGetValue("Authorization", out var a) ? a.ToString() : null;
        var headers = request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
        Requests.Enqueue(new SeenRequest(request.Method, pathAndQuery, apiKey, authorization, Encoding.UTF8.GetString(body), headers));

        using var upstream = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(Target!, pathAndQuery.TrimStart('/')));
        if (body.Length > 0)
        {
            upstream.Content = new ByteArrayContent(body);
            upstream.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType ?? "application/json");
        }

        if (apiKey is not null)
        {
            upstream.Headers.TryAddWithoutValidation("api-key", apiKey);
        }

        if (authorization is not null)
        {
            upstream.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        foreach (var name in (string[])["x-api-key", "anthropic-version"])
        {
            if (headers.TryGetValue(name, out var value))
            {
                upstream.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var response = await _client.SendAsync(upstream, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        if (response.Content.Headers.ContentType is { } contentType)
        {
            context.Response.ContentType = contentType.ToString();
        }

        if (response.Headers.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter.ToString();
        }

        await using var stream = await response.Content.ReadAsStreamAsync(context.RequestAborted);
        await stream.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}

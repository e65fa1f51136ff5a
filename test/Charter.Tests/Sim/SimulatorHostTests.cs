// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Net;
using System.Text;
using System.Text.Json;
using Charter.Sim;

namespace Charter.Tests.Sim;

/// <summary>The Kestrel host over real loopback HTTP.</summary>
public sealed class SimulatorHostTests : IAsyncLifetime
{
    private SimHost? _host;

    private HttpClient Http => _host!.Http;

    private Simulator Sim => _host!.Simulator;

    public async ValueTask InitializeAsync() => _host = await SimHost.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    [Fact]
    public async Task Host_ChatOverLoopback_SameAnswerAsInProcessHandler()
    {
        using var inProcess = new SimTestClient();
        using var response = await Http.PostAsync("/v1/chat/completions", Json(SimTestClient.Chat("Hello")), SimTestClient.Ct);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(SimTestClient.Ct));
        var local = await inProcess.PostAsync("/v1/chat/completions", SimTestClient.Chat("Hello"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.Contains("x-request-id"));
        Assert.Equal(SimulatorChatTests.Content(local.Body, 0), SimulatorChatTests.Content(doc.RootElement, 0));
    }

    [Fact]
    public async Task Host_Stream_SseFramingAndDone()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Json(SimTestClient.Chat("Hello", extra: ",\"stream\":true,\"stream_options\":{\"include_usage\":true}")) };
        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, SimTestClient.Ct);
        var events = SimTestClient.Events(await response.Content.ReadAsStringAsync(SimTestClient.Ct));

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("[DONE]", events[^1]);
        using var usage = JsonDocument.Parse(events[^2]);
        Assert.True(usage.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32() > 0);
    }

    [Fact]
    public async Task Host_AzureClassicRoutes_ApiVersionAndKeyRequired()
    {
        const string body = """{"messages":[{"role":"user","content":"Hi"}]}""";
        using var noVersion = await Send("/openai/deployments/d1/chat/completions", body, "k");
        using var noKey = await Send("/openai/deployments/d1/chat/completions?api-version=2024-10-21", body, null);
        using var ok = await Send("/openai/deployments/d1/chat/completions?api-version=2024-10-21", body, "k");
        using var v1 = await Send("/openai/v1/embeddings", """{"model":"emb","input":"x"}""", "k");

        Assert.Equal(HttpStatusCode.NotFound, noVersion.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.OK, v1.StatusCode);
    }

    [Fact]
    public async Task Host_Drop_ClientSeesConnectionError()
    {
        Sim.Configure(o => o.DropRate = 1);
        var nonStream = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var response = await Http.PostAsync("/v1/chat/completions", Json(SimTestClient.Chat("Hello")), SimTestClient.Ct);
        });
        Assert.True(nonStream is HttpRequestException or IOException, nonStream.GetType().Name);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Json(SimTestClient.Chat("Hello", extra: ",\"stream\":true")) };
        var stream = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, SimTestClient.Ct);
            await response.Content.ReadAsStringAsync(SimTestClient.Ct);
        });
        Assert.True(stream is HttpRequestException or IOException, stream.GetType().Name);
    }

    [Fact]
    public async Task Host_ControlRoutes_ConfigRequestsReset()
    {
        using var config = await Http.PostAsync("/_sim/config", Json("""{"rate_limit_rate":1,"retry_after_seconds":2}"""), SimTestClient.Ct);
        using var limited = await Send("/v1/chat/completions", SimTestClient.Chat("Hi"), null, "id-42");
        var seen = await Http.GetStringAsync("/_sim/requests", SimTestClient.Ct);
        using var reset = await Http.PostAsync("/_sim/reset", null, SimTestClient.Ct);
        using var after = await Send("/v1/chat/completions", SimTestClient.Chat("Hi"), null);

        Assert.Equal(HttpStatusCode.OK, config.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), limited.Headers.RetryAfter?.Delta);
        Assert.Contains("\"id-42\"", seen, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Host_UnknownUrlAndHealth_404OpenAIShapeAndOk()
    {
        using var unknown = await Http.GetAsync("/v2/whatever", SimTestClient.Ct);
        using var doc = JsonDocument.Parse(await unknown.Content.ReadAsStringAsync(SimTestClient.Ct));
        var health = await Http.GetStringAsync("/healthz", SimTestClient.Ct);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("unknown_url", doc.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("ok", health);
    }

    private async Task<HttpResponseMessage> Send(string path, string body, string? apiKey, string? requestId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(body) };
        if (apiKey is not null)
        {
            request.Headers.Add("api-key", apiKey);
        }

        if (requestId is not null)
        {
            request.Headers.Add("X-Charter-Request-Id", requestId);
        }

        return await Http.SendAsync(request, SimTestClient.Ct);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}

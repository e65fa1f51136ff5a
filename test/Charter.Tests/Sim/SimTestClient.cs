// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Net;
using System.Text;
using System.Text.Json;
using Charter.Sim;

namespace Charter.Tests.Sim;

/// <summary>An <see cref="HttpClient"/> over <see cref="SimulatorHttpHandler"/> with small JSON helpers.</summary>
internal sealed class SimTestClient : IDisposable
{
    public SimTestClient(SimulatorOptions? options = null, TimeProvider? time = null)
        : this(new Simulator(options ?? new SimulatorOptions(), time))
    {
    }

    public SimTestClient(Simulator simulator)
    {
        Simulator = simulator;
        Http = new HttpClient(new SimulatorHttpHandler(simulator)) { BaseAddress = new Uri("http://sim.test") };
    }

    public Simulator Simulator { get; }

    public HttpClient Http { get; }

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static string Chat(string user, string model = "gpt-4o", string extra = "") =>
        $$"""{"model":"{{model}}","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":{{JsonSerializer.Serialize(user)}}}]{{extra}}}""";

    public async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PostAsync(string path, string json, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        configure?.Invoke(request);
        var response = await Http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        using var doc = JsonDocument.Parse(text);
        return (response.StatusCode, doc.RootElement.Clone(), response);
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        var text = await Http.GetStringAsync(path, Ct);
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    /// <summary>Posts a streaming request and returns the raw SSE text.</summary>
    public async Task<string> StreamAsync(string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync(Ct);
    }

    /// <summary>Splits SSE text into the data payloads; asserts the framing (data lines separated by blank lines).</summary>
    public static List<string> Events(string sse)
    {
        Assert.EndsWith("\n\n", sse, StringComparison.Ordinal);
        var events = new List<string>();
        foreach (var block in sse[..^2].Split("\n\n"))
        {
            Assert.StartsWith("data: ", block, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', block);
            events.Add(block["data: ".Length..]);
        }

        return events;
    }

    public void Dispose() => Http.Dispose();
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Net;
using System.Text.Json;

namespace Charter.Tests.Sim;

/// <summary>The Azure forms of the legacy completions route, the request log, and the Kestrel host over loopback HTTP.</summary>
public sealed partial class SimulatorCompletionsTests
{
    private const string AzureClassic = "/openai/deployments/prod-instruct/completions";
    private const string AzureV1 = "/openai/v1/completions";

    [Fact]
    public async Task AzureClassic_NoApiVersion_404()
    {
        using var client = new SimTestClient();
        var (status, body, _) = await client.PostAsync(AzureClassic, "{\"prompt\":\"Hello\"}", r => r.Headers.Add("api-key", "k"));

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("api-version", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AzureClassic_NoApiKey_401()
    {
        using var client = new SimTestClient();
        var (status, _, _) = await client.PostAsync(AzureClassic + "?api-version=2024-10-21", "{\"prompt\":\"Hello\"}");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task AzureClassic_Valid_ModelIsTheDeploymentWithFilterResultsPerPromptAndChoice()
    {
        using var client = new SimTestClient();
        var (status, body, _) = await client.PostAsync(
            AzureClassic + "?api-version=2024-10-21", "{\"prompt\":[\"Hello\",\"Bye\"],\"n\":2,\"max_tokens\":4}", r => r.Headers.Add("api-key", "k"));
        var bearer = await client.PostAsync(
            AzureClassic + "?api-version=2024-10-21", "{\"prompt\":\"Hello\"}", r => r.Headers.Authorization = new("Bearer", "t"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.OK, bearer.Status);
        SimSpec.AssertValid(Schema, body);
        Assert.Equal("prod-instruct", body.GetProperty("model").GetString());
        Assert.Equal([0, 1], body.GetProperty("prompt_filter_results").EnumerateArray().Select(p => p.GetProperty("prompt_index").GetInt32()));
        Assert.Equal(4, body.GetProperty("choices").GetArrayLength());
        Assert.All(body.GetProperty("choices").EnumerateArray(), c =>
            Assert.False(c.GetProperty("content_filter_results").GetProperty("hate").GetProperty("filtered").GetBoolean()));
        Assert.Equal(4 * 4, Usage(body, "completion_tokens"));
        Assert.Equal(2, client.Simulator.RequestCountFor("azure_classic", "completions"));
    }

    [Fact]
    public async Task AzureV1_ApiKeyRequired_ModelFromTheBody()
    {
        using var client = new SimTestClient();
        var (status, body, _) = await client.PostAsync(AzureV1, Body("\"Hello\"", model: "my-instruct"), r => r.Headers.Add("api-key", "k"));
        var (noKey, _, _) = await client.PostAsync(AzureV1, Body("\"Hello\"", model: "my-instruct"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("my-instruct", body.GetProperty("model").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, noKey);
        Assert.Equal(2, client.Simulator.RequestCountFor("azure_v1", "completions"));
    }

    [Fact]
    public async Task AzureStream_FirstChunkHoldsThePromptFilterResults()
    {
        using var client = new SimTestClient();
        var events = SimTestClient.Events(await StreamAsync(
            client, "{\"prompt\":[\"Hi\",\"Bye\"],\"stream\":true}", AzureClassic + "?api-version=2024-10-21", r => r.Headers.Add("api-key", "k")));

        using var first = JsonDocument.Parse(events[0]);
        Assert.Equal(0, first.RootElement.GetProperty("choices").GetArrayLength());
        Assert.Equal(2, first.RootElement.GetProperty("prompt_filter_results").GetArrayLength());
        using var second = JsonDocument.Parse(events[1]);
        Assert.Equal("prod-instruct", second.RootElement.GetProperty("model").GetString());
        Assert.Equal("[DONE]", events[^1]);
    }

    [Fact]
    public async Task RequestLog_Completions_CountedPerFlavorUnderTheirOwnName()
    {
        using var client = new SimTestClient();
        await client.PostAsync(Path, Body("\"Hello\""));
        await StreamAsync(client, Body("\"Hello\"", extra: ",\"stream\":true"));
        await client.PostAsync(AzureV1, Body("\"Hello\""), r => r.Headers.Add("api-key", "k"));
        await client.PostAsync("/v1/chat/completions", SimTestClient.Chat("Hello"));

        Assert.Equal(4, client.Simulator.RequestCount);
        Assert.Equal(2, client.Simulator.RequestCountFor("openai", "completions"));
        Assert.Equal(1, client.Simulator.RequestCountFor("azure_v1", "completions"));
        Assert.Equal(1, client.Simulator.RequestCountFor("openai", "chat_completions"));
        var routes = (await client.GetJsonAsync("/_sim/requests")).GetProperty("routes").EnumerateArray()
            .Select(r => (r.GetProperty("flavor").GetString(), r.GetProperty("endpoint").GetString(), r.GetProperty("count").GetInt64()));
        Assert.Contains(("openai", "completions", 2L), routes);
        Assert.Contains(("azure_v1", "completions", 1L), routes);
    }

    [Fact]
    public async Task Host_CompletionsOverLoopback_SameAnswersAsInProcess()
    {
        await using var host = await SimHost.StartAsync();
        using var inProcess = new SimTestClient();
        using var plain = await host.Http.PostAsync(Path, Json(Body("\"Hello\"", extra: ",\"n\":2")), SimTestClient.Ct);
        using var doc = JsonDocument.Parse(await plain.Content.ReadAsStringAsync(SimTestClient.Ct));
        var local = (await inProcess.PostAsync(Path, Body("\"Hello\"", extra: ",\"n\":2"))).Body;
        using var streamRequest = new HttpRequestMessage(HttpMethod.Post, Path) { Content = Json(Body("\"Hello\"", extra: ",\"stream\":true,\"stream_options\":{\"include_usage\":true}")) };
        using var stream = await host.Http.SendAsync(streamRequest, HttpCompletionOption.ResponseHeadersRead, SimTestClient.Ct);
        var chunks = Chunks(await stream.Content.ReadAsStringAsync(SimTestClient.Ct));

        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal("application/json", plain.Content.Headers.ContentType?.MediaType);
        Assert.True(plain.Headers.Contains("x-request-id"));
        SimSpec.AssertValid(Schema, doc.RootElement);
        Assert.Equal(Text(local, 0), Text(doc.RootElement, 0));
        Assert.Equal(Text(local, 1), Text(doc.RootElement, 1));
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Text(local, 0), string.Concat(chunks.SkipLast(2).Select(c => c.GetProperty("choices")[0].GetProperty("text").GetString())));
        Assert.Equal(0, chunks[^1].GetProperty("choices").GetArrayLength());
        Assert.Equal(2, host.Simulator.RequestCountFor("openai", "completions"));
    }

    [Fact]
    public async Task Host_AzureCompletionRoutes_ApiVersionAndKeyRules()
    {
        await using var host = await SimHost.StartAsync();
        using var noVersion = await SendAsync(host, AzureClassic, "{\"prompt\":\"Hi\"}", "k");
        using var noKey = await SendAsync(host, AzureClassic + "?api-version=2024-10-21", "{\"prompt\":\"Hi\"}", null);
        using var classic = await SendAsync(host, AzureClassic + "?api-version=2024-10-21", "{\"prompt\":\"Hi\"}", "k");
        using var v1 = await SendAsync(host, AzureV1, Body("\"Hi\"", model: "d"), "k");
        using var v1NoKey = await SendAsync(host, AzureV1, Body("\"Hi\"", model: "d"), null);
        using var doc = JsonDocument.Parse(await classic.Content.ReadAsStringAsync(SimTestClient.Ct));

        Assert.Equal(HttpStatusCode.NotFound, noVersion.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, classic.StatusCode);
        Assert.Equal("prod-instruct", doc.RootElement.GetProperty("model").GetString());
        Assert.Equal(HttpStatusCode.OK, v1.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, v1NoKey.StatusCode);
        Assert.Equal(3, host.Simulator.RequestCountFor("azure_classic", "completions"));
        Assert.Equal(2, host.Simulator.RequestCountFor("azure_v1", "completions"));
    }

    [Fact]
    public async Task Host_DropAndStreamError_ClientSeesTheFault()
    {
        await using var host = await SimHost.StartAsync();
        host.Simulator.Configure(o => o.DropRate = 1);
        var dropped = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var response = await host.Http.PostAsync(Path, Json(Body("\"Hello\"")), SimTestClient.Ct);
            await response.Content.ReadAsStringAsync(SimTestClient.Ct);
        });
        host.Simulator.Configure(o => (o.DropRate, o.StreamErrorRate) = (0, 1));
        using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = Json(Body("\"Hello\"", extra: ",\"stream\":true")) };
        using var stream = await host.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, SimTestClient.Ct);
        var events = SimTestClient.Events(await stream.Content.ReadAsStringAsync(SimTestClient.Ct));

        Assert.True(dropped is HttpRequestException or IOException, dropped.GetType().Name);
        Assert.DoesNotContain("[DONE]", events);
        Assert.Contains("\"server_error\"", events[^1], StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> SendAsync(SimHost host, string path, string body, string? apiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(body) };
        if (apiKey is not null)
        {
            request.Headers.Add("api-key", apiKey);
        }

        return await host.Http.SendAsync(request, SimTestClient.Ct);
    }
}

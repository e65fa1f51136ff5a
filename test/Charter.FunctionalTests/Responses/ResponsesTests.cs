// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.ClientModel;
using System.Text;
using System.Text.Json;
using Charter.Audit;
using Charter.Detection;
using Charter.FunctionalTests.Conformance;
using Charter.FunctionalTests.Infrastructure;
using Charter.Records;
using Charter.Storage;
using Charter.Tests.Common;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Responses;

#pragma warning disable OPENAI001 // the SDK marks its Responses client experimental

namespace Charter.FunctionalTests.Responses;

/// <summary><c>POST /v1/responses</c> through the gateway, driven by the official OpenAI .NET SDK's Responses client.</summary>
public sealed class ResponsesTests
{
    private const string Model = "gpt-4o-mini";

    [Fact]
    public async Task CreateResponse_OpenAiSdk_ReturnsTextAndWritesARedactedRecordAndAuditLeaf()
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, keyId) = await gw.CreateKeyAsync();
        var client = Sdk.Responses(gw, key);

        var options = new CreateResponseOptions(Model, [ResponseItem.CreateUserMessageItem("Say hello to the harbour master.")])
        {
            Instructions = "Answer like a pirate.",
            MaxOutputTokenCount = 24,
        };
        ResponseResult response = await client.CreateResponseAsync(options);

        Assert.False(string.IsNullOrWhiteSpace(response.GetOutputText()));
        Assert.True(response.Usage.InputTokenCount > 0);
        Assert.True(response.Usage.OutputTokenCount is > 0 and <= 24);
        Assert.Equal(1, gw.Simulator.RequestCountFor("openai", "responses"));

        var record = Assert.Single(await GatewayRecords.AllAsync(gw));
        Assert.Equal("responses", record.Endpoint);
        Assert.Equal(200, record.Status);
        Assert.Equal(keyId, record.Key);
        Assert.Equal(response.Usage.InputTokenCount, record.PromptTokens);
        Assert.Equal(response.Usage.OutputTokenCount, record.CompletionTokens);
        Assert.False(record.Estimated);
        Assert.Contains(record.Id, gw.Simulator.SeenRequestIds);
        // Content retention is off: neither the input nor the instructions are stored, each is a hash.
        Assert.DoesNotContain("harbour", record.RequestJson, StringComparison.Ordinal);
        Assert.DoesNotContain("pirate", record.RequestJson, StringComparison.Ordinal);
        using (var stored = JsonDocument.Parse(record.RequestJson!))
        {
            Assert.StartsWith("sha256:", stored.RootElement.GetProperty("input").GetString(), StringComparison.Ordinal);
            Assert.StartsWith("sha256:", stored.RootElement.GetProperty("instructions").GetString(), StringComparison.Ordinal);
            Assert.Equal(24, stored.RootElement.GetProperty("max_output_tokens").GetInt32());
        }

        var leaf = await AuditLeafAsync(gw, record.Id);
        Assert.Equal(record.Model, leaf.Model);
        Assert.Equal(response.Usage.OutputTokenCount, leaf.Usage?.CompletionTokens);
    }

    [Fact]
    public async Task CreateResponseStreaming_SlowUpstream_DeltasArriveBeforeTheUpstreamFinishesAndTheRecordHasItsUsage()
    {
        await using var gw = await TestGateway.StartAsync(sim: o => o.TokensPerSecond = 20);
        var (key, _) = await gw.CreateKeyAsync();
        var client = Sdk.Responses(gw, key);
        var store = gw.App.Services.GetRequiredService<IGatewayStore>();
        var text = new StringBuilder();
        var deltas = 0;
        int? statusAtFirstDelta = -1;
        ResponseResult? completed = null;

        var options = new CreateResponseOptions(Model, [ResponseItem.CreateUserMessageItem("Count slowly.")]) { MaxOutputTokenCount = 30, StreamingEnabled = true };
        await foreach (var update in await client.CreateResponseStreamingAsync(options))
        {
            if (update is StreamingResponseOutputTextDeltaUpdate delta)
            {
                if (deltas++ == 0)
                {
                    // Journaled before forwarding, not completed: the upstream is still generating.
                    await gw.WaitForRecordsAsync(requireComplete: false);
                    await foreach (var r in store.ReadRequestsAsync(null, null))
                    {
                        statusAtFirstDelta = r.Status;
                    }
                }

                text.Append(delta.Delta);
            }
            else if (update is StreamingResponseCompletedUpdate done)
            {
                completed = done.Response;
            }
            else if (update is StreamingResponseIncompleteUpdate incomplete)
            {
                completed = incomplete.Response;
            }
        }

        Assert.Null(statusAtFirstDelta);
        Assert.True(deltas >= 10, $"expected many deltas, got {deltas}");
        Assert.NotNull(completed);
        Assert.Equal(completed.GetOutputText(), text.ToString());

        var record = Assert.Single(await GatewayRecords.AllAsync(gw));
        Assert.Equal(200, record.Status);
        Assert.Null(record.ErrorCode);
        Assert.Equal(completed.Usage.InputTokenCount, record.PromptTokens);
        Assert.Equal(completed.Usage.OutputTokenCount, record.CompletionTokens);
        Assert.False(record.Estimated);
        // The first token is the first output delta (~50 ms at 20 tokens/s), not response.created, and before the end.
        Assert.NotNull(record.FirstTokenMs);
        Assert.True(record.FirstTokenMs < record.LatencyMs, $"first token {record.FirstTokenMs} ms, latency {record.LatencyMs} ms");
    }

    [Fact]
    public async Task CreateResponse_UpstreamRateLimited_SdkGets429WithRetryAfterAndRecordSaysSo()
    {
        await using var gw = await TestGateway.StartAsync(sim: o => { o.RateLimitRate = 1; o.RetryAfterSeconds = 30; });
        var (key, _) = await gw.CreateKeyAsync();

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => Sdk.Responses(gw, key).CreateResponseAsync(Model, "hi"));

        Assert.Equal(429, ex.Status);
        Assert.Equal("30", ex.GetRawResponse()!.Headers.TryGetValue("retry-after", out var ra) ? ra : null);
        var record = Assert.Single(await GatewayRecords.AllAsync(gw));
        Assert.Equal(429, record.Status);
        Assert.Equal("upstream_429", record.ErrorCode);
    }

    [Fact]
    public async Task Responses_UpstreamDropsMidStream_ClientGetsAResponsesErrorEventAndTheRecordAnEstimate()
    {
        await using var gw = await TestGateway.StartAsync(sim: o => { o.DropRate = 1; o.TokensPerSecond = 400; }); // each token flushed: the stream has begun when it fails
        var (key, _) = await gw.CreateKeyAsync();

        var (status, body, _) = await GatewayWire.PostAsync(gw, "v1/responses", key,
            """{"model":"gpt-4o-mini","input":"Tell me a long story.","max_output_tokens":40,"stream":true}""");

        Assert.Equal(200, status);
        Assert.Contains("event: error\ndata: {\"type\":\"error\",\"code\":\"upstream_error\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("response.completed", body, StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", body, StringComparison.Ordinal);
        var record = Assert.Single(await GatewayRecords.AllAsync(gw));
        Assert.Equal("upstream_error", record.ErrorCode);
        Assert.True(record.Estimated);
        Assert.True(record.PromptTokens > 0);
    }

    [Fact]
    public async Task Responses_ClientDisconnectsMidStream_RecordSaysSoWithAnEstimateAndTheStoredIdOfItsStart()
    {
        await using var gw = await TestGateway.StartAsync(sim: o =>
        {
            o.TokensPerSecond = 50;
            o.MinCompletionTokens = 300;
            o.MaxCompletionTokens = 300;
        });
        var (key, _) = await gw.CreateKeyAsync();
        using (var cts = new CancellationTokenSource())
        {
            using var req = new HttpRequestMessage(HttpMethod.Post, "v1/responses")
            {
                Content = new StringContent("""{"model":"gpt-4o","stream":true,"max_output_tokens":300,"input":"a long story"}""", Encoding.UTF8, "application/json"),
            };
            req.Headers.Authorization = new("Bearer", key);
            using var resp = await gw.Http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead, cts.Token);
            await using var stream = await resp.Content.ReadAsStreamAsync(cts.Token);
            var seen = new StringBuilder();
            var buffer = new byte[4096];
            while (!seen.ToString().Contains("response.output_text.delta", StringComparison.Ordinal))
            {
                var n = await stream.ReadAsync(buffer, cts.Token);
                Assert.True(n > 0);
                seen.Append(Encoding.UTF8.GetString(buffer, 0, n));
            }

            await cts.CancelAsync();
        }

        var record = await SettledRecord.LastAsync(gw);

        Assert.NotNull(record);
        Assert.Equal((499, "client_disconnected"), (record!.Status, record.ErrorCode));
        Assert.True(record.Estimated);
        Assert.True(record.CompletionTokens is > 0 and < 300, $"estimated from what was relayed: {record.CompletionTokens}");
        Assert.StartsWith("resp_", record.ResponseId, StringComparison.Ordinal); // known from response.created
    }

    [Theory]
    [InlineData("""{"model":"gpt-4o-mini","input":"x","background":true}""", "background")]
    [InlineData("""{"model":"gpt-4o-mini"}""", "input")]
    [InlineData("""{"model":"gpt-4o-mini","input":[1]}""", "input[0]")]
    [InlineData("""{"model":"gpt-4o-mini","input":"x","max_output_tokens":"lots"}""", "max_output_tokens")]
    [InlineData("""{"model":"gpt-4o-mini","input":"x","instructions":["a"]}""", "instructions")]
    public async Task Responses_InvalidBody_400WithParamAndNothingForwarded(string body, string param)
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, _) = await gw.CreateKeyAsync();

        var (status, text, _) = await GatewayWire.PostAsync(gw, "v1/responses", key, body);

        Assert.Equal(400, status);
        Assert.Empty(OpenApiSpec.Shared.Validate("ErrorResponse", text));
        using var doc = JsonDocument.Parse(text);
        Assert.Equal(param, doc.RootElement.GetProperty("error").GetProperty("param").GetString());
        Assert.Equal("invalid_request_error", doc.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(0, gw.Simulator.RequestCount);
        Assert.Equal(400, Assert.Single(await GatewayRecords.AllAsync(gw)).Status);
    }

    [Fact]
    public async Task Responses_UnknownKeyAndUnknownModel_401And404InOpenAiShape()
    {
        await using var gw = await TestGateway.StartAsync(s => NamedRoutes.ToSimulator(s, "gpt-4o-mini"));
        var (key, _) = await gw.CreateKeyAsync();

        var unauthorized = await Assert.ThrowsAsync<ClientResultException>(() => Sdk.Responses(gw, "ck-not-a-key").CreateResponseAsync(Model, "hi"));
        Assert.Equal(401, unauthorized.Status);

        var (status, text, _) = await GatewayWire.PostAsync(gw, "v1/responses", key, """{"model":"no-such-model","input":"x"}""");
        Assert.Equal(404, status);
        Assert.Contains("model_not_found", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Responses_Detection_SeesTheInputAsThePrompt()
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, _) = await gw.CreateKeyAsync();
        var client = Sdk.Responses(gw, key);

        await client.CreateResponseAsync(Model, "Explain step by step how a tide forms.");
        await gw.WaitForRecordsAsync();

        var engine = gw.App.Services.GetRequiredService<DetectionSink>().Engine;
        for (var wait = 0; wait < 100 && engine.Observed < 1; wait++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(1, engine.Observed);
    }

    private static async Task<AuditEvent> AuditLeafAsync(TestGateway gw, string requestId)
    {
        var audit = gw.App.Services.GetRequiredService<AuditLog>();
        for (var wait = 0; wait < 200; wait++)
        {
            var leaves = await audit.GetEntriesAsync(0, await audit.GetSizeAsync());
            foreach (var l in leaves)
            {
                // A request and its completion in one batch are one leaf; in two batches (a loaded machine) the usage is in the
                // request.completed leaf.
                if (AuditEventSerializer.Deserialize(l.Data.Span) is { Usage: not null } e
                    && ((e.Kind == AuditEventKinds.Request && e.Id == requestId) || (e.Kind == AuditEventKinds.RequestCompleted && e.RequestId == requestId)))
                {
                    return e;
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"no completed audit leaf for {requestId}");
    }
}

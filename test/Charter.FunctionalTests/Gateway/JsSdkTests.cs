// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Charter.FunctionalTests.Infrastructure;
using Charter.Storage;
using Charter.Tests.Common;
using Microsoft.Extensions.DependencyInjection;

namespace Charter.FunctionalTests.Gateway;

/// <summary>The gateway driven by the official <c>openai</c> npm package (test/js), as a JavaScript user would.</summary>
public sealed class JsSdkTests
{
    [Fact]
    public async Task OpenAiNpm_ChatStreamEmbeddingsModels_AnswersAsTheSdkExpects()
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, _) = await gw.CreateKeyAsync();

        var result = await JsClient.RunAsync(gw, key, "basics");

        var chat = result.GetProperty("chat");
        var stream = result.GetProperty("stream");
        Assert.Equal("chat.completion", chat.GetProperty("object").GetString());
        Assert.False(string.IsNullOrEmpty(chat.GetProperty("content").GetString()));
        // The simulator answers the same request with the same text: streamed, the deltas add up to the whole answer.
        Assert.Equal(chat.GetProperty("content").GetString(), stream.GetProperty("content").GetString());
        Assert.Equal("length", chat.GetProperty("finish").GetString());
        Assert.Equal("length", stream.GetProperty("finish").GetString());
        Assert.True(stream.GetProperty("chunks").GetInt32() > 3, $"{stream.GetProperty("chunks")} chunks");
        Assert.Equal(24, chat.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(24, stream.GetProperty("usage").GetProperty("completion_tokens").GetInt32()); // include_usage honoured
        Assert.Equal(2, result.GetProperty("embeddings").GetProperty("count").GetInt32());
        Assert.Equal([64, 64], result.GetProperty("embeddings").GetProperty("dimensions").EnumerateArray().Select(d => d.GetInt32()));
        Assert.Contains("gpt-4o-mini", result.GetProperty("models").EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public async Task OpenAiNpm_Responses_WholeStreamedChainedAndStoredAsTheSdkExpects()
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, _) = await gw.CreateKeyAsync();

        var result = await JsClient.RunAsync(gw, key, "responses");

        var whole = result.GetProperty("whole");
        Assert.StartsWith("resp_", whole.GetProperty("id").GetString(), StringComparison.Ordinal);
        var stream = result.GetProperty("stream");
        Assert.Equal("response", whole.GetProperty("object").GetString());
        Assert.False(string.IsNullOrEmpty(whole.GetProperty("text").GetString()));
        // The simulator answers the same request with the same text: the deltas add up to the whole answer.
        Assert.Equal(whole.GetProperty("text").GetString(), stream.GetProperty("text").GetString());
        Assert.Equal(whole.GetProperty("text").GetString(), stream.GetProperty("finalText").GetString());
        Assert.True(stream.GetProperty("deltas").GetInt32() > 3, $"{stream.GetProperty("deltas")} deltas");
        Assert.Equal(whole.GetProperty("usage").GetProperty("output_tokens").GetInt32(), stream.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        AssertError(result.GetProperty("background"), "BadRequestError", 400, "invalid_value", "background");
        var chain = result.GetProperty("chain");
        Assert.Equal(whole.GetProperty("id").GetString(), chain.GetProperty("previous").GetString());
        Assert.Equal(whole.GetProperty("id").GetString(), chain.GetProperty("retrievedId").GetString());
        Assert.Equal(whole.GetProperty("text").GetString(), chain.GetProperty("retrievedText").GetString());
        Assert.Equal(("NotFoundError", 404), (result.GetProperty("deletedThenRetrieved").GetProperty("kind").GetString(),
            result.GetProperty("deletedThenRetrieved").GetProperty("status").GetInt32()));
        var records = await GatewayRecords.AllAsync(gw);

        Assert.Equal(4, records.Count(r => r.Endpoint == "responses"));
        Assert.Equal(3, records.Count(r => r.Endpoint == "responses" && r.Status == 200 && r.CompletionTokens > 0));
        Assert.Equal(2, records.Count(r => r.Endpoint == "responses.retrieve"));
        Assert.Single(records, r => r.Endpoint == "responses.delete" && r.Status == 200);
    }

    [Fact]
    public async Task OpenAiNpm_LegacyCompletions_WholeStreamedAndBatchedAsTheSdkExpects()
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, _) = await gw.CreateKeyAsync();

        var result = await JsClient.RunAsync(gw, key, "completions");

        var whole = result.GetProperty("whole");
        var stream = result.GetProperty("stream");
        Assert.Equal("text_completion", whole.GetProperty("object").GetString());
        Assert.False(string.IsNullOrEmpty(whole.GetProperty("text").GetString()));
        // The simulator answers the same prompt with the same text: streamed, the pieces add up to the whole answer.
        Assert.Equal(whole.GetProperty("text").GetString(), stream.GetProperty("text").GetString());
        Assert.True(stream.GetProperty("chunks").GetInt32() > 3, $"{stream.GetProperty("chunks")} chunks");
        Assert.Equal(12, whole.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(12, stream.GetProperty("usage").GetProperty("completion_tokens").GetInt32()); // include_usage honoured
        Assert.Equal(12, whole.GetProperty("logprobTokens").GetInt32());
        Assert.Equal(2, whole.GetProperty("alternatives").GetInt32());
        Assert.Equal([0, 1, 2, 3], result.GetProperty("batch").GetProperty("choices").EnumerateArray().Select(c => c.GetInt32()));
        AssertError(result.GetProperty("wrongType"), "BadRequestError", 400, "invalid_value", "logprobs");
        var records = await GatewayRecords.AllAsync(gw);

        Assert.Equal(4, records.Count(r => r.Endpoint == "completions"));
        Assert.Equal(3, records.Count(r => r.Endpoint == "completions" && r.Status == 200 && r.CompletionTokens > 0));
    }

    [Fact]
    public async Task OpenAiNpm_Moderations_FlagsAsTheSdkExpectsWithOrWithoutAModel()
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, _) = await gw.CreateKeyAsync();

        var result = await JsClient.RunAsync(gw, key, "moderations");

        Assert.Equal([true, false], result.GetProperty("flagged").EnumerateArray().Select(f => f.GetBoolean()));
        Assert.True(result.GetProperty("violence").GetBoolean());
        Assert.Equal(("omni-moderation-latest", 1), (result.GetProperty("unnamed").GetProperty("model").GetString(),
            result.GetProperty("unnamed").GetProperty("results").GetInt32()));
        var records = await GatewayRecords.AllAsync(gw);
        Assert.Equal(2, records.Count(r => r.Endpoint == "moderations" && r.Status == 200));
    }

    [Fact]
    public async Task OpenAiNpm_Refusals_SdkErrorClassesWithOpenAiErrorFields_NothingForwarded()
    {
        await using var gw = await TestGateway.StartAsync(s =>
        {
            s.Overrides["Gateway:MaxRequestBodyBytes"] = "65536";
            NamedRoutes.ToSimulator(s, "gpt-4o-mini");
        });
        var (key, _) = await gw.CreateKeyAsync();

        var result = await JsClient.RunAsync(gw, key, "errors");

        AssertError(result.GetProperty("badKey"), "AuthenticationError", 401, "invalid_api_key", null);
        AssertError(result.GetProperty("unknownModel"), "NotFoundError", 404, "model_not_found", "model");
        AssertError(result.GetProperty("wrongType"), "BadRequestError", 400, "invalid_value", "max_tokens");
        AssertError(result.GetProperty("tooLarge"), "APIError", 413, "request_too_large", null); // no class of its own in the SDK
        Assert.Equal(0, gw.Simulator.RequestCount);
        await gw.WaitForRecordsAsync();
        Assert.Equal(4, await gw.App.Services.GetRequiredService<IGatewayStore>().CountRequestsAsync()); // each refusal recorded
    }

    [Fact]
    public async Task OpenAiNpm_StreamAbortedAfterFirstContent_RecordSaysClientDisconnected()
    {
        await using var gw = await TestGateway.StartAsync(sim: o =>
        {
            o.TokensPerSecond = 50;
            o.MinCompletionTokens = 300;
            o.MaxCompletionTokens = 300;
        });
        var (key, _) = await gw.CreateKeyAsync();

        var result = await JsClient.RunAsync(gw, key, "abort");

        // The SDK ends the iteration quietly on the caller's own abort; the stream had 300 tokens to go.
        Assert.Equal("ok", result.GetProperty("outcome").GetProperty("kind").GetString());
        Assert.True(result.GetProperty("chunks").GetInt32() < 10, $"{result.GetProperty("chunks")} chunks read before the abort");
        var record = await SettledRecord.LastAsync(gw);

        Assert.NotNull(record);
        Assert.Equal(499, record!.Status);
        Assert.Equal("client_disconnected", record.ErrorCode);
        Assert.True(record.CompletionTokens < 300, "usage is estimated from what was relayed");
    }

    private static void AssertError(JsonElement error, string kind, int status, string code, string? param)
    {
        Assert.Equal(
            (kind, status, "invalid_request_error", code, param),
            (error.GetProperty("kind").GetString(), error.GetProperty("status").GetInt32(), error.GetProperty("type").GetString(),
                error.GetProperty("code").GetString(), error.GetProperty("param").GetString()));
    }
}

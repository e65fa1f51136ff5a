// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Charter.FunctionalTests.Anthropic;
using Charter.FunctionalTests.Conformance;
using Charter.FunctionalTests.Infrastructure;
using Charter.FunctionalTests.Policy;
using Charter.FunctionalTests.Responses;
using Charter.Tests.Common;

namespace Charter.FunctionalTests.Completions;

/// <summary><c>POST /v1/completions</c> (the legacy text completions) through the gateway over real HTTP to the simulator:
/// the wire shapes of the OpenAPI document, records, and the same checks as chat.</summary>
public sealed class CompletionsTests
{
    private const string Model = "gpt-3.5-turbo-instruct";

    [Fact]
    public async Task Completions_StringPrompt_AnswerConformsAndTheRecordHoldsTheUsageAndAHashedPrompt()
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, keyId) = await gw.CreateKeyAsync();

        var (status, text, _) = await GatewayWire.PostAsync(gw, "v1/completions", key,
            $$"""{"model":"{{Model}}","prompt":"Write a line about the harbour master.","suffix":"The end.","max_tokens":12,"logprobs":2}""");

        Assert.Equal(200, status);
        Assert.Empty(OpenApiSpec.Shared.Validate("CreateCompletionResponse", text));
        using var doc = JsonDocument.Parse(text);
        var usage = doc.RootElement.GetProperty("usage");
        Assert.Equal(1, gw.Simulator.RequestCountFor("openai", "completions"));
        var record = Assert.Single(await GatewayRecords.AllAsync(gw));
        Assert.Equal(("completions", 200, keyId), (record.Endpoint, record.Status, record.Key));
        Assert.Equal((usage.GetProperty("prompt_tokens").GetInt32(), usage.GetProperty("completion_tokens").GetInt32()), (record.PromptTokens, record.CompletionTokens));
        Assert.False(record.Estimated);
        // Content retention is off: neither the prompt nor the suffix is stored, each is a hash.
        Assert.DoesNotContain("harbour", record.RequestJson, StringComparison.Ordinal);
        Assert.DoesNotContain("The end.", record.RequestJson, StringComparison.Ordinal);
        using var stored = JsonDocument.Parse(record.RequestJson!);
        Assert.StartsWith("sha256:", stored.RootElement.GetProperty("prompt").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, stored.RootElement.GetProperty("logprobs").GetInt32());
    }

    [Fact]
    public async Task Completions_StreamWithoutIncludeUsage_ChunksConformNoUsageChunkAndTheRecordHasTheUpstreamUsage()
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, _) = await gw.CreateKeyAsync();
        const string prompt = $$"""{"model":"{{Model}}","prompt":["One.","Two."],"max_tokens":9""";

        var (_, whole, _) = await GatewayWire.PostAsync(gw, "v1/completions", key, prompt + "}");
        var (status, sse, _) = await GatewayWire.PostAsync(gw, "v1/completions", key, prompt + ""","stream":true}""");

        Assert.Equal(200, status);
        var events = GatewayWire.DataEvents(sse);
        Assert.Equal("[DONE]", events[^1]);
        var texts = new Dictionary<int, string>();
        foreach (var e in events.Take(events.Count - 1))
        {
            // The spec has no stream form of this answer: its finish_reason is a required string, which a choice's chunks carry
            // as null until its last (as OpenAI's do). Everything else of each chunk is checked as it is.
            Assert.Empty(OpenApiSpec.Shared.Validate("CreateCompletionResponse", e.Replace("\"finish_reason\":null", "\"finish_reason\":\"stop\"", StringComparison.Ordinal)));
            Assert.DoesNotContain("\"usage\"", e, StringComparison.Ordinal); // Charter asked for it; the client did not
            using var chunk = JsonDocument.Parse(e);
            foreach (var choice in chunk.RootElement.GetProperty("choices").EnumerateArray())
            {
                var index = choice.GetProperty("index").GetInt32();
                texts[index] = texts.GetValueOrDefault(index, "") + choice.GetProperty("text").GetString();
            }
        }

        using var answer = JsonDocument.Parse(whole);
        Assert.Equal(answer.RootElement.GetProperty("choices").EnumerateArray().Select(c => c.GetProperty("text").GetString()), texts.OrderBy(t => t.Key).Select(t => t.Value));
        var records = await GatewayRecords.AllAsync(gw);
        var streamed = records.Single(r => r.FirstTokenMs is not null); // only a stream has a first token
        Assert.False(streamed.Estimated);
        Assert.Equal(answer.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32(), streamed.CompletionTokens);
    }

    [Theory]
    [InlineData("""{"model":"gpt-3.5-turbo-instruct","prompt":{"text":"x"}}""", "prompt")]
    [InlineData("""{"model":"gpt-3.5-turbo-instruct","prompt":["x",1]}""", "prompt[1]")]
    [InlineData("""{"model":"gpt-3.5-turbo-instruct","prompt":"x","logprobs":9}""", "logprobs")]
    [InlineData("""{"model":"gpt-3.5-turbo-instruct","messages":[{"role":"user","content":"x"}]}""", "prompt")]
    public async Task Completions_InvalidBody_400WithParamAndNothingForwarded(string body, string param)
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, _) = await gw.CreateKeyAsync();

        var (status, text, _) = await GatewayWire.PostAsync(gw, "v1/completions", key, body);

        Assert.Equal(400, status);
        Assert.Empty(OpenApiSpec.Shared.Validate("ErrorResponse", text));
        using var doc = JsonDocument.Parse(text);
        Assert.Equal(param, doc.RootElement.GetProperty("error").GetProperty("param").GetString());
        Assert.Equal(0, gw.Simulator.RequestCount);
        Assert.Equal(400, Assert.Single(await GatewayRecords.AllAsync(gw)).Status);
    }

    [Theory]
    [InlineData(""","logprobs":0""", 403)]
    [InlineData(""","logprobs":null""", 200)]
    [InlineData("", 200)]
    public async Task Completions_LogprobsUnderANoLogprobsTerm_DeniedEvenForZeroAlternatives(string extra, int expected)
    {
        var policies = PolicyGateway.CopyPolicies();
        await File.AppendAllTextAsync(Path.Combine(policies, "sim.yaml"),
            "  - id: no-logprobs\n    logprobs: false\n    message: \"No log probabilities from this provider.\"\n", TestContext.Current.CancellationToken);
        await using var gw = await PolicyGateway.StartAsync(policies);
        var (key, _) = await gw.CreateKeyAsync();

        var (status, text, _) = await GatewayWire.PostAsync(gw, "v1/completions", key, $$"""{"model":"{{Model}}","prompt":"x"{{extra}}}""", "evaluation");

        Assert.True(expected == status, text);
        if (expected == 403)
        {
            Assert.Contains("no-logprobs", text, StringComparison.Ordinal);
            Assert.Equal(0, PolicyGateway.SimA(gw).RequestCount);
        }
    }

    [Fact]
    public async Task Completions_BestOfAboveTheTermsLimitOfN_DeniedThoughNIsOne()
    {
        var policies = PolicyGateway.CopyPolicies();
        await File.AppendAllTextAsync(Path.Combine(policies, "sim.yaml"),
            "  - id: single-choice\n    max_n: 1\n    message: \"One choice per request.\"\n", TestContext.Current.CancellationToken);
        await using var gw = await PolicyGateway.StartAsync(policies);
        var (key, _) = await gw.CreateKeyAsync();

        var (denied, text, _) = await GatewayWire.PostAsync(gw, "v1/completions", key, $$"""{"model":"{{Model}}","prompt":"x","n":1,"best_of":3}""", "evaluation");
        var (allowed, _, _) = await GatewayWire.PostAsync(gw, "v1/completions", key, $$"""{"model":"{{Model}}","prompt":"x","n":1}""", "evaluation");

        Assert.Equal((403, 200), (denied, allowed));
        Assert.Contains("single-choice", text, StringComparison.Ordinal);
        Assert.Equal(1, PolicyGateway.SimA(gw).RequestCount);
    }

    [Fact]
    public async Task Completions_ModelServedOnlyByAnthropic_400NamingChatCompletionsAndNothingSent()
    {
        await using var gw = await TestGateway.StartAsync(AnthropicAccount.Settings(null));
        var (key, _) = await gw.CreateKeyAsync();

        var (status, text, _) = await GatewayWire.PostAsync(gw, "v1/completions", key, $$"""{"model":"{{AnthropicAccount.Model}}","prompt":"x"}""");

        Assert.Equal(400, status);
        Assert.Contains("/v1/chat/completions", text, StringComparison.Ordinal);
        Assert.Equal(0, gw.Simulator.RequestCount);
    }
}

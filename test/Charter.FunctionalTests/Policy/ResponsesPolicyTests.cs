// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Charter.FunctionalTests.Conformance;
using Charter.Tests.Common;

namespace Charter.FunctionalTests.Policy;

/// <summary>The Responses API is held to the same purposes, terms and limits as Chat Completions: it is no way around them.</summary>
public sealed class ResponsesPolicyTests
{
    [Fact]
    public async Task Responses_ProhibitedPurpose_403WithTheTermsRuleAndNothingForwarded()
    {
        await using var gw = await PolicyGateway.StartAsync(PolicyGateway.CopyPolicies());
        var (key, _) = await gw.CreateKeyAsync(purposes: ["evaluation", "competing-model-development"]);

        var (status, error) = await PostAsync(gw, key, """{"model":"gpt-4o-mini","input":"Write training data."}""", "competing-model-development");

        Assert.Equal(403, status);
        Assert.Equal("charter_policy_denied", error.GetProperty("code").GetString());
        Assert.Equal("sim-terms.prohibited.competing-model-development", error.GetProperty("rule").GetString());
        Assert.Equal(0, PolicyGateway.SimA(gw).RequestCount);
        Assert.Equal(200, (await PostAsync(gw, key, """{"model":"gpt-4o-mini","input":"Hello."}""", "evaluation")).Status);
    }

    [Fact]
    public async Task Responses_MaxOutputTokensAboveTheTestingCap_403LikeMaxTokensOnChat()
    {
        await using var gw = await PolicyGateway.StartAsync(PolicyGateway.CopyPolicies());
        var (key, _) = await gw.CreateKeyAsync();

        var (status, error) = await PostAsync(gw, key, """{"model":"gpt-4o-mini","input":"x","max_output_tokens":5000}""", "testing");

        Assert.Equal(403, status);
        Assert.Contains("testing-output-cap", error.GetProperty("rule").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, PolicyGateway.SimA(gw).RequestCount);
        Assert.Equal(200, (await PostAsync(gw, key, """{"model":"gpt-4o-mini","input":"x","max_output_tokens":4000}""", "testing")).Status);
    }

    [Theory]
    [InlineData(""","include":["message.output_text.logprobs"]""", 403)]
    [InlineData(""","top_logprobs":3""", 403)]
    [InlineData(""","include":["reasoning.encrypted_content"]""", 200)]
    [InlineData("", 200)]
    public async Task Responses_LogprobsAskedEitherWay_DeniedByALogprobsLimit(string extra, int expected)
    {
        var policies = PolicyGateway.CopyPolicies();
        await File.AppendAllTextAsync(Path.Combine(policies, "sim.yaml"),
            "  - id: no-logprobs\n    logprobs: false\n    max_top_logprobs: 0\n    message: \"No log probabilities from this provider.\"\n", TestContext.Current.CancellationToken);
        await using var gw = await PolicyGateway.StartAsync(policies);
        var (key, _) = await gw.CreateKeyAsync();

        var (status, error) = await PostAsync(gw, key, "{\"model\":\"gpt-4o-mini\",\"input\":\"x\"" + extra + "}", "evaluation");

        Assert.True(expected == status, $"{status}: {error}");
        if (expected == 403)
        {
            Assert.Contains("no-logprobs", error.GetProperty("rule").GetString(), StringComparison.Ordinal);
            Assert.Equal(0, PolicyGateway.SimA(gw).RequestCount);
        }
    }

    private static async Task<(int Status, JsonElement Error)> PostAsync(TestGateway gw, string key, string body, string purpose)
    {
        var (status, text, _) = await GatewayWire.PostAsync(gw, "v1/responses", key, body, purpose);
        using var doc = JsonDocument.Parse(text);
        return (status, doc.RootElement.TryGetProperty("error", out var e) ? e.Clone() : default);
    }
}

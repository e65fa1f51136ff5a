// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Charter.FunctionalTests.Conformance;
using Charter.FunctionalTests.Infrastructure;
using Charter.FunctionalTests.Responses;
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

    [Fact]
    public async Task GetResponse_PurposeTheTermsProhibit_403WithTheRuleAndNothingForwarded()
    {
        await using var gw = await PolicyGateway.StartAsync(PolicyGateway.CopyPolicies());
        var (key, _) = await gw.CreateKeyAsync(purposes: ["evaluation", "competing-model-development"]);
        var id = await CreateAsync(gw, key);
        var before = PolicyGateway.SimA(gw).RequestCount;

        var (status, error) = await GetAsync(gw, key, id, "competing-model-development");

        Assert.Equal(403, status);
        Assert.Equal("sim-terms.prohibited.competing-model-development", error.GetProperty("rule").GetString());
        Assert.Equal(before, PolicyGateway.SimA(gw).RequestCount);
        Assert.Equal(200, (await GetAsync(gw, key, id, "evaluation")).Status);
        var records = await GatewayRecords.AllAsync(gw);
        var denied = Assert.Single(records, r => r.Endpoint == "responses.retrieve" && r.Status == 403);
        Assert.Equal(("deny", "gpt-4o-mini"), (denied.Decision, denied.Model));
    }

    [Fact]
    public async Task GetResponse_AccountOnHold_403ProviderUnavailableUntilTheHoldIsCleared()
    {
        await using var gw = await PolicyGateway.StartAsync(PolicyGateway.CopyPolicies());
        var (key, _) = await gw.CreateKeyAsync();
        var id = await CreateAsync(gw, key);
        var (placed, _) = await PolicyGateway.TransitionAsync(gw, "accounts", "sim-a",
            new { @event = "place_hold", hold = "provider_suspended", reason = "the provider suspended us" });
        Assert.Equal(200, placed);
        var before = PolicyGateway.SimA(gw).RequestCount;

        var (status, error) = await GetAsync(gw, key, id, "evaluation");

        Assert.Equal(403, status);
        Assert.Equal("lifecycle.account", error.GetProperty("rule").GetString());
        Assert.Equal(before, PolicyGateway.SimA(gw).RequestCount);
        var (cleared, _) = await PolicyGateway.TransitionAsync(gw, "accounts", "sim-a",
            new { @event = "clear_hold", hold = "provider_suspended", reason = "reinstated" });
        Assert.Equal(200, cleared);
        Assert.Equal(200, (await GetAsync(gw, key, id, "evaluation")).Status);
    }

    private static async Task<string> CreateAsync(TestGateway gw, string key)
    {
        var (status, text, _) = await GatewayWire.PostAsync(gw, "v1/responses", key, """{"model":"gpt-4o-mini","input":"Name a river."}""", "evaluation");
        Assert.Equal(200, status);
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<(int Status, JsonElement Error)> GetAsync(TestGateway gw, string key, string id, string purpose)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, $"v1/responses/{id}");
        req.Headers.Authorization = new("Bearer", key);
        req.Headers.Add("Charter-Purpose", purpose);
        using var resp = await gw.Http.SendAsync(req, TestContext.Current.CancellationToken);
        using var doc = JsonDocument.Parse(await resp.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return ((int)resp.StatusCode, doc.RootElement.TryGetProperty("error", out var e) ? e.Clone() : default);
    }

    private static async Task<(int Status, JsonElement Error)> PostAsync(TestGateway gw, string key, string body, string purpose)
    {
        var (status, text, _) = await GatewayWire.PostAsync(gw, "v1/responses", key, body, purpose);
        using var doc = JsonDocument.Parse(text);
        return (status, doc.RootElement.TryGetProperty("error", out var e) ? e.Clone() : default);
    }
}

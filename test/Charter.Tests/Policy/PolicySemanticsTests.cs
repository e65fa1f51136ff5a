// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Policy;

namespace Charter.Tests.Policy;

public sealed class PolicySemanticsTests
{
    private static PolicySet Load(params string[] documents)
    {
        var sources = new List<KeyValuePair<string, string>>();
        for (var i = 0; i < documents.Length; i++)
        {
            sources.Add(new($"doc{i}.yaml", documents[i]));
        }

        var result = PolicyLoader.LoadFromSources(sources);
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors));
        return result.Set!;
    }

    [Fact]
    public void Decide_AccountTerms_ApplyOnlyToThatAccount()
    {
        var set = Load(PolicyTestData.MinimalOrganization, """
            kind: provider-terms
            id: eu-account
            account: acct-eu
            source: "Data processing addendum"
            jurisdictions:
              allow: [DE, FR]
            """);

        var eu = PolicyTestData.Request("evaluation") with { AccountId = "acct-eu", Jurisdiction = "US" };
        var other = PolicyTestData.Request("evaluation") with { AccountId = "acct-us", Jurisdiction = "US" };

        Assert.Equal("eu-account.jurisdictions", set.Decide(eu).RuleId);
        Assert.Equal(PolicyEffect.Allow, set.Decide(other).Effect);
    }

    [Fact]
    public void Decide_PermittedPurposesAllowList_DeniesOthers()
    {
        var set = Load(PolicyTestData.MinimalOrganization, """
            kind: provider-terms
            id: strict
            provider: openai
            source: "Pilot agreement"
            permitted_purposes: [evaluation]
            """);

        Assert.Equal("strict.permitted-purposes", set.Decide(PolicyTestData.Request("testing")).RuleId);
        Assert.Equal(PolicyEffect.Allow, set.Decide(PolicyTestData.Request("evaluation")).Effect);
        Assert.Equal("org.default", set.Decide(PolicyTestData.Request("testing", ProviderKind.Anthropic)).RuleId);
    }

    [Fact]
    public void Decide_RequireJurisdictionAndNoneOnRecord_JurisdictionDenied()
    {
        var set = Load("""
            kind: organization
            settings: { require_jurisdiction: true, default_effect: allow }
            purposes: { evaluation: "Evaluating." }
            """, """
            kind: provider-terms
            id: t
            provider: openai
            source: "s"
            jurisdictions: { allow: [US] }
            """);

        var decision = set.Decide(PolicyTestData.Request("evaluation", ProviderKind.OpenAI, null));

        Assert.Equal(PolicyDenyCodes.JurisdictionDenied, decision.Code);
    }

    [Fact]
    public void Decide_DefaultAllowAndNoRuleMatches_AllowedWithDefaultRule()
    {
        var set = Load("""
            kind: organization
            settings: { default_effect: allow }
            purposes: { evaluation: "Evaluating." }
            """);

        var decision = set.Decide(PolicyTestData.Request("evaluation"));

        Assert.Equal(PolicyEffect.Allow, decision.Effect);
        Assert.Equal("org.default", decision.RuleId);
    }

    [Fact]
    public void Decide_TiesOfSameEffect_FirstRuleInFileOrderWins()
    {
        var set = Load("""
            kind: organization
            purposes: { evaluation: "Evaluating." }
            rules:
              - id: first-flag
                when: { models: "gpt-*" }
                effect: flag
                message: "first"
              - id: second-flag
                when: { purpose: evaluation }
                effect: flag
                message: "second"
            """);

        Assert.Equal("first-flag", set.Decide(PolicyTestData.Request("evaluation")).RuleId);
    }

    [Fact]
    public void Decide_ConditionsOnEveryField_AllMustMatch()
    {
        var set = Load("""
            kind: organization
            settings: { default_effect: allow }
            purposes: { evaluation: "Evaluating." }
            rules:
              - id: narrow
                when:
                  purpose: evaluation
                  team: team-a
                  key: [key-1, key-2]
                  provider: openai
                  account: acct-1
                  model: "gpt-4*"
                  jurisdiction: [US]
                  params:
                    n: { gte: 2, lte: 4 }
                    max_tokens: { lt: 1000 }
                    temperature: { gt: 0.5 }
                    top_logprobs: 3
                    logit_bias: { gte: 1 }
                    logprobs: true
                    stream: true
                  time: { days: [mon, tue], hours: "09-17" }
                effect: deny
                message: "narrow"
            """);

        var match = PolicyTestData.Request("evaluation") with
        {
            N = 3, MaxTokens = 500, Temperature = 0.7, TopLogprobs = 3, LogitBiasCount = 2, Logprobs = true, Stream = true,
            Timestamp = new DateTimeOffset(2026, 10, 5, 10, 0, 0, TimeSpan.Zero), // a Monday
        };
        Assert.Equal("narrow", set.Decide(match).RuleId);

        PolicyRequest[] misses =
        [
            match with { TeamId = "team-b" },
            match with { KeyId = "key-3" },
            match with { Provider = ProviderKind.Sim },
            match with { AccountId = "acct-2" },
            match with { Model = "claude-3" },
            match with { Jurisdiction = "FR" },
            match with { N = 5 },
            match with { MaxTokens = null },
            match with { MaxTokens = 1000 },
            match with { Temperature = null },
            match with { Temperature = 0.5 },
            match with { TopLogprobs = 2 },
            match with { LogitBiasCount = 0 },
            match with { Logprobs = false },
            match with { Stream = false },
            match with { Timestamp = new DateTimeOffset(2026, 10, 7, 10, 0, 0, TimeSpan.Zero) },
            match with { Timestamp = new DateTimeOffset(2026, 10, 5, 17, 0, 0, TimeSpan.Zero) },
        ];
        foreach (var miss in misses)
        {
            Assert.Equal(PolicyEffect.Allow, set.Decide(miss).Effect);
        }
    }

    [Theory]
    [InlineData("gpt-4*", "gpt-4o", true)]
    [InlineData("gpt-4*", "GPT-4o-mini", true)]
    [InlineData("gpt-4*", "gpt-3.5-turbo", false)]
    [InlineData("*-preview*", "gpt-5-preview-2026", true)]
    [InlineData("*-preview*", "gpt-5", false)]
    [InlineData("claude-?-haiku", "claude-3-haiku", true)]
    [InlineData("claude-?-haiku", "claude-35-haiku", false)]
    [InlineData("*", "", true)]
    [InlineData("exact", "exact", true)]
    [InlineData("exact", "exactly", false)]
    public void ModelGlob_Patterns_MatchAsDocumented(string pattern, string model, bool expected)
    {
        Assert.Equal(expected, Charter.Policy.Compilation.ModelGlob.IsMatch(pattern, model));
    }
}

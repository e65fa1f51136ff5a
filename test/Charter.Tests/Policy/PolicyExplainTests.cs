// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Policy;
using CsCheck;

namespace Charter.Tests.Policy;

public sealed class PolicyExplainTests
{
    [Fact]
    public void Explain_CompetingModelDevelopment_ListsTermsOrganizationAndVersion()
    {
        var set = PolicyTestData.Default;

        var x = set.Explain(PolicyTestData.Request("competing-model-development"));

        Assert.Equal(set.Version, x.PolicyVersion);
        Assert.Equal(PolicyEffect.Deny, x.Decision.Effect);
        Assert.Contains(x.Matches, m => m.RuleId == "openai-terms.prohibited.competing-model-development" && m.Decisive);
        Assert.Contains(x.Matches, m => m.RuleId == "org.forbidden.competing-model-development" && !m.Decisive);
        Assert.Single(x.AppliedTerms);
        Assert.Single(x.Matches, m => m.Decisive);
    }

    [Fact]
    public void Explain_OverriddenFlag_ShowsSuppressedBy()
    {
        var x = PolicyTestData.Default.Explain(PolicyTestData.Request("production") with { Logprobs = true, TeamId = "ml-platform", N = 3 });

        var flag = Assert.Single(x.Matches, m => m.RuleId == "flag-production-logprobs");
        Assert.Equal("allow-calibration-logprobs", flag.SuppressedBy);
        Assert.Contains(x.Matches, m => m.RuleId == "allow-production");
        Assert.Equal(PolicyEffect.Allow, x.Decision.Effect);
    }

    [Fact]
    public void Explain_SeveralViolations_ListsEveryOne()
    {
        var x = PolicyTestData.Default.Explain(PolicyTestData.Request("evaluation", ProviderKind.Anthropic, "CN") with { Logprobs = true, N = 2 });

        Assert.Equal("anthropic-terms.jurisdictions", x.Decision.RuleId);
        Assert.Contains(x.Matches, m => m.RuleId == "anthropic-terms.no-logprobs");
        Assert.Contains(x.Matches, m => m.RuleId == "anthropic-terms.single-choice");
        Assert.Contains(x.Matches, m => m.RuleId == "allow-evaluation");
    }

    [Fact]
    public void Explain_AnyRequest_DecisionEqualsDecideAndOneDecisiveMatch()
    {
        var set = PolicyTestData.Default;
        var purposes = new[] { "evaluation", "testing", "production", "research", "competing-model-development", "training-data-generation", "bogus" };
        var teams = new[] { "team-a", "research", "ml-platform" };
        var models = new[] { "gpt-4o", "gpt-5-preview", "claude-sonnet-4", "llama-experimental-3" };
        var countries = new[] { "US", "DE", "CN", "RU", "JP" };
        var gen =
            from purpose in Gen.Int[0, purposes.Length - 1].Select(i => purposes[i])
            from provider in Gen.Int[0, ProviderKinds.Count - 1]
            from team in Gen.Int[0, teams.Length - 1].Select(i => teams[i])
            from model in Gen.Int[0, models.Length - 1].Select(i => models[i])
            from country in Gen.Int[0, countries.Length - 1].Select(i => countries[i])
            from n in Gen.Int[0, 200]
            from maxTokens in Gen.Int[0, 70000]
            from logprobs in Gen.Bool
            from hour in Gen.Int[0, 23]
            select new PolicyRequest
            {
                KeyId = "k",
                TeamId = team,
                Purpose = purpose,
                Provider = (ProviderKind)provider,
                Model = model,
                Jurisdiction = country,
                N = n,
                MaxTokens = maxTokens == 0 ? null : maxTokens,
                Logprobs = logprobs,
                Timestamp = new DateTimeOffset(2026, 10, 5, hour, 0, 0, TimeSpan.Zero),
            };

        gen.Sample(r =>
        {
            var decision = set.Decide(r);
            var x = set.Explain(r);
            Assert.Equal(decision.Effect, x.Decision.Effect);
            Assert.Equal(decision.RuleId, x.Decision.RuleId);
            var decisive = Assert.Single(x.Matches, m => m.Decisive);
            Assert.Equal(decision.RuleId, decisive.RuleId);

            // Deny wins: if any unsuppressed match denies, the decision denies.
            Assert.Equal(x.Matches.Any(m => m.SuppressedBy is null && m.Effect == PolicyEffect.Deny), decision.Effect == PolicyEffect.Deny);
        }, iter: 2000);
    }
}

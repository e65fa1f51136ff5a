// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Policy;

namespace Charter.Tests.Policy;

public sealed class DefaultPolicyDecisionTests
{
    private static PolicySet Set => PolicyTestData.Default;

    [Theory]
    [InlineData("evaluation", ProviderKind.OpenAI)]
    [InlineData("evaluation", ProviderKind.Anthropic)]
    [InlineData("testing", ProviderKind.AzureOpenAI)]
    [InlineData("production", ProviderKind.Sim)]
    [InlineData("production", ProviderKind.OpenAICompatible)]
    public void Decide_PermittedPurpose_Allowed(string purpose, ProviderKind provider)
    {
        var decision = Set.Decide(PolicyTestData.Request(purpose, provider));

        Assert.Equal(PolicyEffect.Allow, decision.Effect);
        Assert.Null(decision.Code);
        Assert.Equal("allow-" + purpose, decision.RuleId);
    }

    [Theory]
    [InlineData(ProviderKind.OpenAI, "openai-terms.prohibited.competing-model-development", "Services Agreement")]
    [InlineData(ProviderKind.Anthropic, "anthropic-terms.prohibited.competing-model-development", "Commercial Terms")]
    [InlineData(ProviderKind.AzureOpenAI, "azure-openai-terms.prohibited.competing-model-development", "Product Terms")]
    [InlineData(ProviderKind.Sim, "sim-terms.prohibited.competing-model-development", "Services Agreement")]
    public void Decide_CompetingModelDevelopment_DeniedByProviderTerms(ProviderKind provider, string ruleId, string cited)
    {
        var decision = Set.Decide(PolicyTestData.Request("competing-model-development", provider));

        Assert.Equal(PolicyEffect.Deny, decision.Effect);
        Assert.Equal(PolicyDenyCodes.PolicyDenied, decision.Code);
        Assert.Equal(ruleId, decision.RuleId);
        Assert.Contains(cited, decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_TrainingDataGenerationOnSelfHosted_DeniedByOrganization()
    {
        var decision = Set.Decide(PolicyTestData.Request("training-data-generation", ProviderKind.OpenAICompatible));

        Assert.Equal(PolicyEffect.Deny, decision.Effect);
        Assert.Equal(PolicyDenyCodes.PolicyDenied, decision.Code);
        Assert.Equal("org.forbidden.training-data-generation", decision.RuleId);
    }

    [Theory]
    [InlineData(ProviderKind.OpenAI, "CN")]
    [InlineData(ProviderKind.OpenAI, "RU")]
    [InlineData(ProviderKind.Anthropic, "IR")]
    [InlineData(ProviderKind.AzureOpenAI, "KP")]
    public void Decide_UnsupportedJurisdiction_JurisdictionDenied(ProviderKind provider, string country)
    {
        var decision = Set.Decide(PolicyTestData.Request("evaluation", provider, country));

        Assert.Equal(PolicyEffect.Deny, decision.Effect);
        Assert.Equal(PolicyDenyCodes.JurisdictionDenied, decision.Code);
        Assert.EndsWith(".jurisdictions", decision.RuleId, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_SupportedJurisdictionLowerCase_Allowed()
    {
        Assert.Equal(PolicyEffect.Allow, Set.Decide(PolicyTestData.Request("evaluation", ProviderKind.OpenAI, "de")).Effect);
    }

    [Fact]
    public void Decide_SelfHostedProviderHasNoJurisdictionList_Allowed()
    {
        Assert.Equal(PolicyEffect.Allow, Set.Decide(PolicyTestData.Request("evaluation", ProviderKind.OpenAICompatible, "CN")).Effect);
    }

    [Fact]
    public void Decide_NoJurisdictionOnRecord_AllowedBecauseNotRequired()
    {
        Assert.Equal(PolicyEffect.Allow, Set.Decide(PolicyTestData.Request("evaluation", ProviderKind.OpenAI, null)).Effect);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("Evaluation")]
    [InlineData("")]
    [InlineData(null)]
    public void Decide_UnknownOrMissingPurpose_PurposeUnknown(string? purpose)
    {
        var decision = Set.Decide(PolicyTestData.Request(purpose!));

        Assert.Equal(PolicyDenyCodes.PurposeUnknown, decision.Code);
        Assert.Equal("org.purposes", decision.RuleId);
    }

    [Fact]
    public void Decide_NAboveOpenAIMaximum_DeniedByLimit()
    {
        var decision = Set.Decide(PolicyTestData.Request("evaluation") with { N = 129 });

        Assert.Equal(PolicyEffect.Deny, decision.Effect);
        Assert.Equal("openai-terms.api-max-n", decision.RuleId);
    }

    [Fact]
    public void Decide_LogprobsOnAnthropic_DeniedByLimit()
    {
        var decision = Set.Decide(PolicyTestData.Request("evaluation", ProviderKind.Anthropic) with { Logprobs = true });

        Assert.Equal(PolicyDenyCodes.PolicyDenied, decision.Code);
        Assert.Equal("anthropic-terms.no-logprobs", decision.RuleId);
    }

    [Fact]
    public void Decide_TestingMaxTokensAboveCap_DeniedOnlyForTesting()
    {
        var testing = Set.Decide(PolicyTestData.Request("testing") with { MaxTokens = 8000 });
        var evaluation = Set.Decide(PolicyTestData.Request("evaluation") with { MaxTokens = 8000 });

        Assert.Equal("openai-terms.testing-output-cap", testing.RuleId);
        Assert.Equal(PolicyEffect.Allow, evaluation.Effect);
    }

    [Fact]
    public void Decide_ProductionWithLogprobs_Flagged()
    {
        var decision = Set.Decide(PolicyTestData.Request("production") with { Logprobs = true });

        Assert.Equal(PolicyEffect.Flag, decision.Effect);
        Assert.True(decision.IsAllowed);
        Assert.Equal("flag-production-logprobs", decision.RuleId);
    }

    [Fact]
    public void Decide_ProductionLogprobsForMlPlatform_OverrideSuppressesFlag()
    {
        var decision = Set.Decide(PolicyTestData.Request("production") with { Logprobs = true, TeamId = "ml-platform" });

        Assert.Equal(PolicyEffect.Allow, decision.Effect);
    }

    [Fact]
    public void Decide_NAboveEight_Flagged()
    {
        Assert.Equal("flag-large-n", Set.Decide(PolicyTestData.Request("evaluation") with { N = 9 }).RuleId);
        Assert.Equal(PolicyEffect.Allow, Set.Decide(PolicyTestData.Request("evaluation") with { N = 8 }).Effect);
    }

    [Fact]
    public void Decide_DenyAndFlagBothMatch_DenyWins()
    {
        var decision = Set.Decide(PolicyTestData.Request("production") with { Model = "gpt-5-preview", N = 12 });

        Assert.Equal(PolicyEffect.Deny, decision.Effect);
        Assert.Equal("deny-preview-models-in-production", decision.RuleId);
    }

    [Fact]
    public void Decide_ResearchOutsideResearchTeam_DefaultDeny()
    {
        var decision = Set.Decide(PolicyTestData.Request("research"));

        Assert.Equal(PolicyEffect.Deny, decision.Effect);
        Assert.Equal("org.default", decision.RuleId);
        Assert.Equal(PolicyDenyCodes.PolicyDenied, decision.Code);
    }

    [Theory]
    [InlineData(12, PolicyEffect.Allow)]
    [InlineData(23, PolicyEffect.Flag)]
    [InlineData(3, PolicyEffect.Flag)]
    [InlineData(6, PolicyEffect.Allow)]
    public void Decide_ResearchTeamByHour_FlaggedOffHours(int hourUtc, PolicyEffect expected)
    {
        var request = PolicyTestData.Request("research") with
        {
            TeamId = "research",
            Timestamp = new DateTimeOffset(2026, 10, 5, hourUtc, 30, 0, TimeSpan.FromHours(0)),
        };

        Assert.Equal(expected, Set.Decide(request).Effect);
    }

    [Fact]
    public void Decide_TimeConditionUsesUtc()
    {
        // 01:30 at UTC+3 is 22:30 UTC: inside the 22-06 window.
        var request = PolicyTestData.Request("research") with { TeamId = "research", Timestamp = new DateTimeOffset(2026, 10, 6, 1, 30, 0, TimeSpan.FromHours(3)) };

        Assert.Equal(PolicyEffect.Flag, Set.Decide(request).Effect);
    }

    [Fact]
    public void Decide_WarmedUp_AllocatesNothing()
    {
        var requests = new[]
        {
            PolicyTestData.Request("evaluation"),
            PolicyTestData.Request("competing-model-development"),
            PolicyTestData.Request("evaluation", ProviderKind.OpenAI, "CN"),
            PolicyTestData.Request("production") with { Logprobs = true, N = 12, MaxTokens = 100, Temperature = 1.7 },
            PolicyTestData.Request("production") with { Logprobs = true, TeamId = "ml-platform" },
            PolicyTestData.Request("bogus"),
        };
        foreach (var r in requests)
        {
            Set.Decide(r);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var denies = 0;
        for (var i = 0; i < 1000; i++)
        {
            foreach (var r in requests)
            {
                denies += Set.Decide(r).IsAllowed ? 0 : 1;
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(3000, denies);
    }
}

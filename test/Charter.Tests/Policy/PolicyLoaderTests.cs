// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Policy;

namespace Charter.Tests.Policy;

public sealed class PolicyLoaderTests
{
    [Fact]
    public void LoadDirectory_DefaultPolicies_LoadsEveryDocument()
    {
        var result = PolicyLoader.LoadDirectory(PolicyTestData.DefaultPolicyDirectory);

        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors));
        Assert.Equal(4, result.Set!.TermsCount);
        Assert.Contains(result.Set.Purposes, p => p.Name == "competing-model-development" && p.Forbidden);
        Assert.Contains(result.Set.Purposes, p => p.Name == "evaluation" && !p.Forbidden);
        Assert.Equal(64, result.Set.Version.Length);
    }

    [Fact]
    public void LoadFromSources_SeveralErrorsInOneFile_ReportsEveryErrorWithItsLine()
    {
        const string org = """
            kind: organization
            purposes:
              evaluation: "Evaluating models."
            rules:
              - id: good-rule
                when: { purpose: evaluation }
                effect: allow
              - id: bad-effect
                when: { purpose: evaluation }
                effect: permit
              - id: unknown-purpose
                when: { purpose: world-domination }
                effect: deny
                message: "no"
              - id: bad-param
                when:
                  params:
                    n: { greater: 3 }
                effect: flag
                message: "x"
              - id: typo-key
                whenn: { purpose: evaluation }
                effect: allow
              - id: flag-without-message
                when: { purpose: evaluation }
                effect: flag
            """;

        var result = PolicyLoader.LoadFromSources([new("organization.yaml", org)]);

        Assert.False(result.Succeeded);
        Assert.Null(result.Set);
        Assert.All(result.Errors, e => Assert.Equal("organization.yaml", e.File));
        Assert.Contains(result.Errors, e => e.Line == 10 && e.Message.Contains("'permit'", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Line == 12 && e.Message.Contains("unknown purpose 'world-domination'", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Line == 18 && e.Message.Contains("unknown key 'greater'", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Line == 22 && e.Message.Contains("unknown key 'whenn'", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Line == 24 && e.Message.Contains("needs a 'message:'", StringComparison.Ordinal));
        Assert.True(result.Errors.Count >= 5);
    }

    [Fact]
    public void LoadFromSources_ErrorsInSeveralFiles_ReportsAllFilesSorted()
    {
        const string terms = """
            kind: provider-terms
            id: bad terms
            provider: openai-ish
            prohibited_purposes: [evaluationz]
            jurisdictions:
              allow: [US, usa]
            limits:
              - id: nothing
            """;

        var result = PolicyLoader.LoadFromSources([new("z-org.yaml", PolicyTestData.MinimalOrganization), new("a-terms.yaml", terms)]);

        Assert.False(result.Succeeded);
        Assert.Equal("a-terms.yaml", result.Errors[0].File);
        Assert.Contains(result.Errors, e => e.Line == 2 && e.Message.Contains("may contain only", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Line == 3 && e.Message.Contains("unknown provider kind 'openai-ish'", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Line == 4 && e.Message.Contains("unknown purpose 'evaluationz'", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Line == 6 && e.Message.Contains("'usa' is not an ISO 3166-1", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Line == 8 && e.Message.Contains("sets no constraint", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Message.Contains("missing 'source:'", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadFromSources_YamlSyntaxError_ReportsLine()
    {
        const string broken = """
            kind: organization
            purposes:
              evaluation: "unterminated
            rules: []
            """;

        var result = PolicyLoader.LoadFromSources([new("organization.yaml", broken)]);

        var error = Assert.Single(result.Errors, e => e.File == "organization.yaml");
        Assert.StartsWith("YAML syntax error", error.Message, StringComparison.Ordinal);
        Assert.True(error.Line >= 3);
    }

    [Fact]
    public void LoadFromSources_NoOrganizationDocument_Fails()
    {
        const string terms = """
            kind: provider-terms
            id: t
            provider: openai
            source: "x"
            """;

        var result = PolicyLoader.LoadFromSources([new("t.yaml", terms)]);

        Assert.Contains(result.Errors, e => e.Message.Contains("no organization document", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadFromSources_OverrideOfUnknownRuleAndDuplicateIds_ReportsBoth()
    {
        const string org = """
            kind: organization
            purposes:
              evaluation: "Evaluating models."
            rules:
              - id: a
                effect: allow
                overrides: [does-not-exist]
              - id: a
                effect: allow
            """;

        var result = PolicyLoader.LoadFromSources([new("org.yaml", org)]);

        Assert.Contains(result.Errors, e => e.Line == 7 && e.Message.Contains("unknown rule id 'does-not-exist'", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Line == 8 && e.Message.Contains("already used on line 5", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadFromSources_FileOrderChanges_VersionStable()
    {
        const string terms = """
            kind: provider-terms
            id: t
            provider: openai
            source: "x"
            """;

        var a = PolicyLoader.LoadFromSources([new("org.yaml", PolicyTestData.MinimalOrganization), new("t.yaml", terms)]);
        var b = PolicyLoader.LoadFromSources([new("t.yaml", terms), new("org.yaml", PolicyTestData.MinimalOrganization)]);
        var renamed = PolicyLoader.LoadFromSources([new("b.yaml", terms), new("a.yaml", PolicyTestData.MinimalOrganization)]);
        var edited = PolicyLoader.LoadFromSources([new("org.yaml", PolicyTestData.MinimalOrganization), new("t.yaml", terms + "\ntitle: T\n")]);

        Assert.Equal(a.Set!.Version, b.Set!.Version);
        Assert.Equal(a.Set.Version, renamed.Set!.Version);
        Assert.NotEqual(a.Set.Version, edited.Set!.Version);
    }

    [Fact]
    public void ComputeVersion_CrlfAndLf_SameVersion()
    {
        Assert.Equal(PolicyLoader.ComputeVersion(["a: 1\r\nb: 2\r\n"]), PolicyLoader.ComputeVersion(["a: 1\nb: 2\n"]));
    }

    [Fact]
    public void LoadDirectory_MissingDirectory_ReportsError()
    {
        var result = PolicyLoader.LoadDirectory(Path.Combine(Path.GetTempPath(), "no-such-policy-dir-" + Guid.NewGuid().ToString("N")));

        Assert.False(result.Succeeded);
        Assert.Contains("does not exist", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFromSources_OverrideOfInvalidRule_OnlyTheRealErrorReported()
    {
        const string org = """
            kind: organization
            purposes:
              evaluation: "Evaluating models."
            rules:
              - id: broken
                effect: sometimes
              - id: exception
                effect: allow
                overrides: [broken]
            """;

        var result = PolicyLoader.LoadFromSources([new("org.yaml", org)]);

        var error = Assert.Single(result.Errors);
        Assert.Equal(6, error.Line);
    }

    [Fact]
    public void LoadFromSources_SeveralDocumentsInOneFile_AllLoaded()
    {
        var text = PolicyTestData.MinimalOrganization + """

            ---
            kind: provider-terms
            id: t1
            provider: openai
            source: "a"
            prohibited_purposes: [testing]
            ---
            kind: provider-terms
            id: t2
            provider: anthropic
            source: "b"
            """;

        var result = PolicyLoader.LoadFromSources([new("all.yaml", text)]);

        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors));
        Assert.Equal(2, result.Set!.TermsCount);
        Assert.Equal("t1.prohibited.testing", result.Set.Decide(PolicyTestData.Request("testing")).RuleId);
    }
}

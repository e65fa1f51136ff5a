// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Policy;
using Charter.Tests.Common;

namespace Charter.Tests.Policy;

/// <summary>Locates the shipped default policies and loads them once.</summary>
internal static class PolicyTestData
{
    private static readonly Lazy<PolicySet> _default = new(() =>
    {
        var result = PolicyLoader.LoadDirectory(DefaultPolicyDirectory);
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors));
        return result.Set!;
    });

    public static string DefaultPolicyDirectory => Path.Combine(RepoPaths.Root, "policies");

    public static PolicySet Default => _default.Value;

    public static string CopyDefaultPoliciesToTemp()
    {
        var target = Path.Combine(Path.GetTempPath(), "charter-policy-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(DefaultPolicyDirectory, "*.yaml"))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return target;
    }

    public static PolicyRequest Request(string purpose, ProviderKind provider = ProviderKind.OpenAI, string? jurisdiction = "US") => new()
    {
        KeyId = "key-1",
        TeamId = "team-a",
        Purpose = purpose,
        Provider = provider,
        AccountId = "acct-1",
        Model = "gpt-4o",
        Jurisdiction = jurisdiction,
        Timestamp = new DateTimeOffset(2026, 10, 5, 12, 0, 0, TimeSpan.Zero),
    };

    /// <summary>A minimal valid organization document to build small test sets on.</summary>
    public const string MinimalOrganization = """
        kind: organization
        purposes:
          evaluation: "Evaluating models."
          testing: "Testing."
          forbidden-thing:
            description: "Never."
            forbidden: true
        rules:
          - id: allow-evaluation
            when: { purpose: evaluation }
            effect: allow
        """;
}

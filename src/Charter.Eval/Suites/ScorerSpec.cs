// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Eval.Suites;

/// <summary>How outputs are scored: a scorer type and its options.</summary>
public sealed record ScorerSpec
{
    /// <summary>Scorer used when a suite names none.</summary>
    public static readonly ScorerSpec Default = new() { Type = ScorerKind.Exact };

    public required ScorerKind Type { get; init; }

    /// <summary>Template of the expected answer over the case variables (used when a case has no <c>expected</c>).</summary>
    public PromptTemplate? Expected { get; init; }

    /// <summary>Compare case-insensitively (exact, contains, regex). Default false (choice is always case-insensitive).</summary>
    public bool IgnoreCase { get; init; }

    /// <summary>Trim whitespace before comparing (exact). Default true.</summary>
    public bool Trim { get; init; } = true;

    /// <summary>Regular expression (regex); when absent the expected value is the pattern.</summary>
    public string? Pattern { get; init; }

    /// <summary>Absolute tolerance (numeric). Default 1e-6.</summary>
    public double Tolerance { get; init; } = 1e-6;

    /// <summary>Relative tolerance (numeric). Default 0.</summary>
    public double RelativeTolerance { get; init; }

    /// <summary>Valid option letters (choice). Default "ABCD".</summary>
    public string Choices { get; init; } = "ABCD";

    /// <summary>JSON Schema text (json-schema).</summary>
    public string? Schema { get; init; }

    /// <summary>Judge settings (judge).</summary>
    public JudgeSpec? Judge { get; init; }

    /// <summary>Short name for tables and the database.</summary>
    public string Name => ScorerKindNames.ToName(Type);
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Eval.Suites;

/// <summary>One case of a suite: its variables, the expected answer and an optional scorer override.</summary>
public sealed record EvalCase
{
    /// <summary>Position of the case in the suite (0-based), stable across runs of the same suite.</summary>
    public required int Index { get; init; }

    /// <summary>Case identifier: the <c>id</c> field when given, otherwise the 1-based position.</summary>
    public required string Id { get; init; }

    /// <summary>Template variables.</summary>
    public required IReadOnlyDictionary<string, string> Vars { get; init; }

    /// <summary>Expected answer, or null when the scorer needs none (json-schema, judge).</summary>
    public string? Expected { get; init; }

    /// <summary>Scorer for this case only; null means the suite's scorer.</summary>
    public ScorerSpec? Scorer { get; init; }
}

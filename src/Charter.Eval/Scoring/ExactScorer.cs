// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Eval.Suites;

namespace Charter.Eval.Scoring;

/// <summary>Passes when the output equals the expected value (trimmed and case-insensitive when configured).</summary>
internal sealed class ExactScorer(bool trim, bool ignoreCase) : IScorer
{
    public ScoreResult Score(string output, string? expected, EvalCase evalCase)
    {
        var a = trim ? output.AsSpan().Trim() : output.AsSpan();
        var b = trim ? (expected ?? string.Empty).AsSpan().Trim() : (expected ?? string.Empty).AsSpan();
        var equal = a.Equals(b, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
        return equal ? ScoreResult.Pass() : ScoreResult.Fail("output differs from expected");
    }
}

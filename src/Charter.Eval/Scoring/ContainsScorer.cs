// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Eval.Suites;

namespace Charter.Eval.Scoring;

/// <summary>Passes when the output contains the expected text; an expected value of the form
/// <c>a|b|c</c> passes when any alternative is contained.</summary>
internal sealed class ContainsScorer(bool ignoreCase) : IScorer
{
    public ScoreResult Score(string output, string? expected, EvalCase evalCase)
    {
        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        foreach (var alternative in (expected ?? string.Empty).Split('|'))
        {
            if (alternative.Length > 0 && output.Contains(alternative, comparison))
            {
                return ScoreResult.Pass();
            }
        }

        return ScoreResult.Fail("expected text not found");
    }
}

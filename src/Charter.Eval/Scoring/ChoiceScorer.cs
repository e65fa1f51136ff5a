// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Eval.Suites;

namespace Charter.Eval.Scoring;

/// <summary>Passes when the option letter extracted from the output equals the expected letter.</summary>
internal sealed class ChoiceScorer(string choices) : IScorer
{
    public ScoreResult Score(string output, string? expected, EvalCase evalCase)
    {
        var want = string.IsNullOrWhiteSpace(expected) ? '\0' : char.ToUpperInvariant(expected.Trim()[0]);
        var got = ChoiceExtractor.Extract(output, choices, ChoiceExtractor.OptionsOf(evalCase.Vars, choices));
        if (got is null)
        {
            return ScoreResult.Fail("no choice found");
        }

        return got == want ? ScoreResult.Pass(got.Value.ToString()) : ScoreResult.Fail(got.Value.ToString());
    }
}

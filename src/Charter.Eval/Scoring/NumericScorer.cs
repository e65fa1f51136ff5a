// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;
using Charter.Eval.Suites;

namespace Charter.Eval.Scoring;

/// <summary>Passes when the number in the output is within max(tolerance, relative × |expected|) of the expected number.</summary>
internal sealed class NumericScorer(double tolerance, double relativeTolerance) : IScorer
{
    public ScoreResult Score(string output, string? expected, EvalCase evalCase)
    {
        if (expected is null || NumberExtractor.Extract(expected) is not { } want)
        {
            return ScoreResult.Fail("expected value is not a number");
        }

        if (NumberExtractor.Extract(output) is not { } got)
        {
            return ScoreResult.Fail("no number in output");
        }

        var allowed = Math.Max(tolerance, relativeTolerance * Math.Abs(want));
        var detail = got.ToString("G10", CultureInfo.InvariantCulture);
        return Math.Abs(got - want) <= allowed ? ScoreResult.Pass(detail) : ScoreResult.Fail(detail);
    }
}

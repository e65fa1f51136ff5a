// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Eval.Scoring;

/// <summary>The score of one output: a value in [0, 1], whether it passed, and a short explanation.</summary>
public readonly record struct ScoreResult(double Score, bool Passed, string? Detail)
{
    public static ScoreResult Pass(string? detail = null) => new(1, true, detail);

    public static ScoreResult Fail(string? detail = null) => new(0, false, detail);
}

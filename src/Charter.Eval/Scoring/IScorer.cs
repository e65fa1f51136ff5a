// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Eval.Suites;

namespace Charter.Eval.Scoring;

/// <summary>A synchronous scorer: compares a model output with the expected value of a case.</summary>
public interface IScorer
{
    ScoreResult Score(string output, string? expected, EvalCase evalCase);
}

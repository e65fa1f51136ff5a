// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Eval.Suites;

/// <summary>Model-as-judge settings: the judge model, its prompt, the rubric and the pass threshold.</summary>
public sealed record JudgeSpec
{
    /// <summary>Model that grades (called through the same gateway).</summary>
    public required string Model { get; init; }

    /// <summary>Judge prompt; variables: the case's, plus output, expected, rubric, input.</summary>
    public required IReadOnlyList<ChatMessageTemplate> Messages { get; init; }

    /// <summary>Rubric text (itself a template over the case variables).</summary>
    public PromptTemplate Rubric { get; init; } = PromptTemplate.Empty;

    /// <summary>Normalised score (0..1) at or above which the case passes. Default 0.5.</summary>
    public double PassThreshold { get; init; } = 0.5;

    /// <summary>Parameters for the judge call. Default temperature 0.</summary>
    public RequestParameters Parameters { get; init; } = RequestParameters.Default;
}

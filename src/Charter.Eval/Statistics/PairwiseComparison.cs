// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Eval.Statistics;

/// <summary>McNemar comparison of two models on the cases both answered.</summary>
public sealed record PairwiseComparison
{
    public required string ModelA { get; init; }

    public required string ModelB { get; init; }

    /// <summary>Cases compared.</summary>
    public int Cases { get; init; }

    /// <summary>Cases only A passed.</summary>
    public int OnlyA { get; init; }

    /// <summary>Cases only B passed.</summary>
    public int OnlyB { get; init; }

    public int Discordant => OnlyA + OnlyB;

    public double AccuracyA { get; init; }

    public double AccuracyB { get; init; }

    /// <summary>Exact (binomial) two-sided p-value.</summary>
    public double ExactPValue { get; init; }

    /// <summary>Chi-square with continuity correction p-value (the large-n approximation).</summary>
    public double ChiSquarePValue { get; init; }

    /// <summary>The p-value reported: the exact one, valid at any n (the chi-square one is shown beside it).</summary>
    public double PValue => ExactPValue;

    public bool Significant => PValue < 0.05;
}

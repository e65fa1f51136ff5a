// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Eval.Statistics;

/// <summary>Summary of one model in a run.</summary>
public sealed record ModelStatistics
{
    public required string Model { get; init; }

    /// <summary>Distinct cases (the unit of the interval and the paired tests).</summary>
    public int Cases { get; init; }

    /// <summary>Results (cases × repeats).</summary>
    public int Samples { get; init; }

    /// <summary>Passed results (all repeats).</summary>
    public int Passed { get; init; }

    public int Errors { get; init; }

    public int Cached { get; init; }

    /// <summary>Mean over cases of each case's pass rate across repeats (= passed / samples).</summary>
    public double Accuracy { get; init; }

    /// <summary>95% Wilson interval of <see cref="Accuracy"/>, with cases as the unit.</summary>
    public ConfidenceInterval Interval { get; init; }

    /// <summary>Mean score (partial credit from judge scores).</summary>
    public double MeanScore { get; init; }

    public double LatencyP50 { get; init; }

    public double LatencyP95 { get; init; }

    public double LatencyMean { get; init; }

    /// <summary>Latencies (ms) of every successful result, ascending, for charts.</summary>
    public IReadOnlyList<double> Latencies { get; init; } = [];

    public long PromptTokens { get; init; }

    public long CompletionTokens { get; init; }

    public double TokensPerCase => Samples == 0 ? 0 : (double)(PromptTokens + CompletionTokens) / Samples;

    /// <summary>Total cost, null when no result carried a cost.</summary>
    public double? TotalCost { get; init; }

    public double? CostPerCase => TotalCost is { } c && Samples > 0 ? c / Samples : null;

    /// <summary>Total cost / passed results; null when unknown or nothing passed.</summary>
    public double? CostPerCorrect => TotalCost is { } c && Passed > 0 ? c / Passed : null;

    /// <summary>Accuracy of each repeat (one entry per repeat index).</summary>
    public IReadOnlyList<double> RepeatAccuracies { get; init; } = [];

    /// <summary>Sample standard deviation of <see cref="RepeatAccuracies"/> (0 with a single repeat).</summary>
    public double RepeatStdDev { get; init; }
}

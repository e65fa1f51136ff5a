// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Detection;

/// <summary>Confusion counts and rates of a labelled backtest (keys only).</summary>
public sealed record BacktestMetrics(
    int TruePositives,
    int FalsePositives,
    int FalseNegatives,
    int TrueNegatives,
    double Precision,
    double Recall,
    double FalsePositiveRate,
    double? MedianRequestsUntilFlagged,
    IReadOnlyList<string> MissedKeys,
    IReadOnlyList<string> FalsePositiveKeys);

// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Detection;

/// <summary>Result of <see cref="DetectionBacktest.Run"/>.</summary>
public sealed record BacktestReport(
    IReadOnlyList<SubjectRisk> Keys,
    IReadOnlyList<SubjectRisk> Teams,
    IReadOnlyList<DetectionFinding> Findings,
    long Records,
    TimeSpan EngineTime,
    BacktestMetrics? Metrics)
{
    /// <summary>Records per second of the engine alone (parsing and sorting excluded).</summary>
    public double RecordsPerSecond => EngineTime.TotalSeconds > 0 ? Records / EngineTime.TotalSeconds : 0;
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Detection;

/// <summary>Result of <see cref="DetectionBacktest.Run"/>.</summary>
public sealed record BacktestReport(
    IReadOnlyList<SubjectRisk> Keys,
    IReadOnlyList<SubjectRisk> Teams,
    IReadOnlyList<DetectionFinding> Findings,
    long Records,
    TimeSpan EngineTime,
    TimeSpan EngineCpuTime,
    BacktestMetrics? Metrics)
{
    /// <summary>Records per second of the engine alone (parsing and sorting excluded).</summary>
    public double RecordsPerSecond => EngineTime.TotalSeconds > 0 ? Records / EngineTime.TotalSeconds : 0;

    /// <summary>Records per second of process CPU time spent in the engine (robust on a shared machine).</summary>
    public double RecordsPerCpuSecond => EngineCpuTime.TotalSeconds > 0 ? Records / EngineCpuTime.TotalSeconds : 0;
}

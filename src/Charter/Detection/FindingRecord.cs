// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Detection;

/// <summary>A stored finding: a key or team whose harvesting risk crossed a threshold, with its evidence.</summary>
public sealed record FindingRecord(
    string Id,
    string SubjectKind,
    string SubjectId,
    string Team,
    double Risk,
    DateTimeOffset CrossedAt,
    long RequestsObserved,
    IReadOnlyDictionary<string, double> Signals,
    IReadOnlyList<string> TopSignals,
    IReadOnlyList<string> SampleRequestIds,
    string Action,
    string? Measure);

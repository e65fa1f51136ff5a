// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Detection;

/// <summary>
/// Raised when a key's or team's risk crosses an action level for the first time (flag, then review, then suspend).
/// </summary>
/// <param name="Subject">Key or team.</param>
/// <param name="Id">The key id or team id.</param>
/// <param name="Team">The team (for a key) or the team itself.</param>
/// <param name="Risk">Risk in [0, 1] at the crossing.</param>
/// <param name="Signals">Signal values at the crossing, by snake_case name.</param>
/// <param name="TopSignals">The signals that contributed most, strongest first.</param>
/// <param name="CrossedAt">Timestamp (record time) of the crossing.</param>
/// <param name="RequestsObserved">Requests of the subject seen up to the crossing.</param>
/// <param name="SampleRequestIds">Evidence: ids (or `key@timestamp` when the log has none) of suspicious requests.</param>
/// <param name="RecommendedAction">Action chosen by <see cref="DetectionActionOptions"/>.</param>
/// <param name="Measure">Remediation measure for suspensions, else null.</param>
public sealed record DetectionFinding(
    DetectionSubjectKind Subject,
    string Id,
    string Team,
    double Risk,
    IReadOnlyDictionary<string, double> Signals,
    IReadOnlyList<string> TopSignals,
    DateTimeOffset CrossedAt,
    long RequestsObserved,
    IReadOnlyList<string> SampleRequestIds,
    DetectionAction RecommendedAction,
    string? Measure);

// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Detection;

/// <summary>Snapshot entry for one key or team.</summary>
/// <param name="Subject">Key or team.</param>
/// <param name="Id">The key or team id.</param>
/// <param name="Team">The key's team (the team itself for a team).</param>
/// <param name="Risk">Current risk (decayed windows as of the subject's last record).</param>
/// <param name="PeakRisk">Highest risk seen.</param>
/// <param name="Verdict">"extraction" once the subject has crossed the flag level, else "benign".</param>
/// <param name="Signals">Signal values at the peak risk (or current when never flagged).</param>
/// <param name="TopSignals">Signals that drove the risk, strongest first.</param>
/// <param name="FirstFlaggedAt">Record time of the first crossing of the flag level.</param>
/// <param name="Requests">Requests observed.</param>
/// <param name="SampleRequestIds">Evidence: recent suspicious requests.</param>
/// <param name="Action">Highest action level reached.</param>
/// <param name="RequestsUntilFlagged">Requests of the subject observed when it was first flagged.</param>
public sealed record SubjectRisk(
    DetectionSubjectKind Subject,
    string Id,
    string Team,
    double Risk,
    double PeakRisk,
    string Verdict,
    IReadOnlyDictionary<string, double> Signals,
    IReadOnlyList<string> TopSignals,
    DateTimeOffset? FirstFlaggedAt,
    long? RequestsUntilFlagged,
    long Requests,
    IReadOnlyList<string> SampleRequestIds,
    DetectionAction Action);

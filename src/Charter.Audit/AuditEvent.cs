// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Audit;

/// <summary>One audited fact: a request decision, a lifecycle transition, a policy load or an admin action.</summary>
/// <remarks>
/// The leaf stored in the Merkle log is the RFC 8785 canonical JSON of this record (see
/// <see cref="AuditEventSerializer"/> and docs/audit-format.md). Null fields are omitted.
/// Timestamps are written in UTC with millisecond precision.
/// </remarks>
public sealed record AuditEvent
{
    /// <summary>Event kind: one of <see cref="AuditEventKinds"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>When the event happened (UTC; stored with millisecond precision).</summary>
    public required DateTimeOffset Ts { get; init; }

    /// <summary>Unique event id (the journal's id; used to de-duplicate on recovery).</summary>
    public required string Id { get; init; }

    public string? RequestId { get; init; }
    public string? Key { get; init; }
    public string? Team { get; init; }
    public string? Purpose { get; init; }
    public string? Provider { get; init; }
    public string? Account { get; init; }
    public string? Model { get; init; }

    /// <summary>Policy decision: allow, flag or deny.</summary>
    public string? Decision { get; init; }
    public string? Rule { get; init; }
    public string? Code { get; init; }
    public string? PolicyVersion { get; init; }

    /// <summary>Hex SHA-256 of the request's messages (the text itself is not logged).</summary>
    public string? MessagesSha256 { get; init; }
    public AuditUsage? Usage { get; init; }
    public int? Status { get; init; }
    public string? EvalRun { get; init; }
    public string? EntityType { get; init; }
    public string? EntityId { get; init; }
    public string? FromState { get; init; }
    public string? ToState { get; init; }

    /// <summary>Transition name (lifecycle events).</summary>
    public string? Event { get; init; }
    public string? Actor { get; init; }
    public string? Reason { get; init; }
    public IReadOnlyList<string>? Measures { get; init; }
    public DateTimeOffset? Deadline { get; init; }
    public string? Detail { get; init; }
}

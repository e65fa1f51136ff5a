// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Storage;

/// <summary>One lifecycle event of a key, team or account: who did what, and why.</summary>
public sealed record HistoryEntry
{
    /// <summary><c>key</c>, <c>team</c> or <c>account</c>.</summary>
    public required string EntityType { get; init; }

    /// <summary>Entity id.</summary>
    public required string EntityId { get; init; }

    /// <summary>When it happened.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>Event name (suspend, reinstate, deny, flag, …).</summary>
    public required string Event { get; init; }

    /// <summary>State before.</summary>
    public string? From { get; init; }

    /// <summary>State after.</summary>
    public string? To { get; init; }

    /// <summary>Who or what did it (admin key id, <c>detection</c>, <c>upstream</c>, <c>deadline</c>).</summary>
    public required string Actor { get; init; }

    /// <summary>Why.</summary>
    public string? Reason { get; init; }

    /// <summary>Extra JSON (measures, deadline, rule id).</summary>
    public string? Detail { get; init; }
}

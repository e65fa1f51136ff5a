// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy.Lifecycle;

/// <summary>A request to change an entity's lifecycle: the event with its arguments, and who asks and why.</summary>
public sealed record LifecycleCommand
{
    /// <summary>The event.</summary>
    public required LifecycleEvent Event { get; init; }

    /// <summary>Who or what asks, e.g. <c>admin:alice</c>, <c>detection</c>, <c>upstream</c>, <c>system:deadline</c>.</summary>
    public required string Actor { get; init; }

    /// <summary>Why (required for review, suspend, ban, revoke and place_hold).</summary>
    public string? Reason { get; init; }

    /// <summary>Remediation measures for <c>suspend</c>.</summary>
    public IReadOnlyList<string> Measures { get; init; } = [];

    /// <summary>Deadline for <c>suspend</c> (must be in the future).</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>0-based measure index for <c>complete_measure</c>.</summary>
    public int MeasureIndex { get; init; } = -1;

    /// <summary>The single hold for <c>place_hold</c> / <c>clear_hold</c>.</summary>
    public LifecycleHolds Hold { get; init; }

    /// <summary>A <c>review</c> command.</summary>
    public static LifecycleCommand Review(string actor, string reason) => new() { Event = LifecycleEvent.Review, Actor = actor, Reason = reason };

    /// <summary>A <c>suspend</c> command.</summary>
    public static LifecycleCommand Suspend(string actor, string reason, IReadOnlyList<string> measures, DateTimeOffset? deadline) =>
        new() { Event = LifecycleEvent.Suspend, Actor = actor, Reason = reason, Measures = measures, Deadline = deadline };

    /// <summary>A <c>complete_measure</c> command.</summary>
    public static LifecycleCommand CompleteMeasure(string actor, int index, string? note = null) =>
        new() { Event = LifecycleEvent.CompleteMeasure, Actor = actor, MeasureIndex = index, Reason = note };

    /// <summary>A <c>reinstate</c> command.</summary>
    public static LifecycleCommand Reinstate(string actor, string? reason = null) => new() { Event = LifecycleEvent.Reinstate, Actor = actor, Reason = reason };

    /// <summary>A <c>ban</c> command.</summary>
    public static LifecycleCommand Ban(string actor, string reason) => new() { Event = LifecycleEvent.Ban, Actor = actor, Reason = reason };

    /// <summary>A <c>revoke</c> command (keys only).</summary>
    public static LifecycleCommand Revoke(string actor, string reason) => new() { Event = LifecycleEvent.Revoke, Actor = actor, Reason = reason };

    /// <summary>A <c>place_hold</c> command.</summary>
    public static LifecycleCommand PlaceHold(string actor, LifecycleHolds hold, string reason) =>
        new() { Event = LifecycleEvent.PlaceHold, Actor = actor, Hold = hold, Reason = reason };

    /// <summary>A <c>clear_hold</c> command.</summary>
    public static LifecycleCommand ClearHold(string actor, LifecycleHolds hold, string? reason = null) =>
        new() { Event = LifecycleEvent.ClearHold, Actor = actor, Hold = hold, Reason = reason };

    /// <summary>A <c>deadline_expired</c> command (normally issued by the deadline sweep).</summary>
    public static LifecycleCommand DeadlineExpired(string actor = "system:deadline") => new() { Event = LifecycleEvent.DeadlineExpired, Actor = actor };
}

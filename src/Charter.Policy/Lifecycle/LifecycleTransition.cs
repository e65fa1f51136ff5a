// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy.Lifecycle;

/// <summary>The record of one applied event: who, why, from which state to which, with measures and deadline. Append it to history and the audit log.</summary>
public sealed record LifecycleTransition
{
    public required EntityKind Kind { get; init; }

    public required string EntityId { get; init; }

    public required LifecycleEvent Event { get; init; }

    public required LifecycleState From { get; init; }

    public required LifecycleState To { get; init; }

    public required LifecycleHolds HoldsBefore { get; init; }

    public required LifecycleHolds HoldsAfter { get; init; }

    public required string Actor { get; init; }

    public string? Reason { get; init; }

    /// <summary>The measures after the event (the suspension's full list, with done flags).</summary>
    public IReadOnlyList<RemediationMeasure> Measures { get; init; } = [];

    public DateTimeOffset? Deadline { get; init; }

    /// <summary>For <c>complete_measure</c>; -1 otherwise.</summary>
    public int MeasureIndex { get; init; } = -1;

    /// <summary>For <c>place_hold</c> / <c>clear_hold</c>.</summary>
    public LifecycleHolds Hold { get; init; }

    public required DateTimeOffset At { get; init; }

    /// <summary>The entity's version after the event.</summary>
    public required long Version { get; init; }
}

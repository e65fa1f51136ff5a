// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy.Lifecycle;

/// <summary>The lifecycle of one key, team or provider account: state, holds, and the open suspension if any. Immutable.</summary>
public sealed record EntityLifecycle
{
    /// <summary>Key, team or account.</summary>
    public required EntityKind Kind { get; init; }

    /// <summary>The entity id.</summary>
    public required string Id { get; init; }

    /// <summary>The current state.</summary>
    public LifecycleState State { get; init; } = LifecycleState.Active;

    /// <summary>The holds in force (a set of flags).</summary>
    public LifecycleHolds Holds { get; init; }

    /// <summary>The reason given for the current state (null when active and never changed).</summary>
    public string? Reason { get; init; }

    /// <summary>The remediation measures of the current suspension (kept for the record after a ban).</summary>
    public IReadOnlyList<RemediationMeasure> Measures { get; init; } = [];

    /// <summary>The deadline of the current suspension, if any.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>When the entity entered its current state.</summary>
    public DateTimeOffset Since { get; init; }

    /// <summary>Incremented by every transition; 0 for an entity never stored (optimistic concurrency in stores).</summary>
    public long Version { get; init; }

    /// <summary>True when state is active and no hold applies.</summary>
    public bool AccessAllowed => State == LifecycleState.Active && Holds == LifecycleHolds.None;

    /// <summary>True for banned and revoked.</summary>
    public bool IsTerminal => State is LifecycleState.Banned or LifecycleState.Revoked;

    /// <summary>Number of measures still open.</summary>
    public int OpenMeasureCount
    {
        get
        {
            var count = 0;
            foreach (var m in Measures)
            {
                count += m.Done ? 0 : 1;
            }

            return count;
        }
    }

    /// <summary>A new, active entity with no holds.</summary>
    public static EntityLifecycle CreateActive(EntityKind kind, string id, DateTimeOffset since) => new() { Kind = kind, Id = id, Since = since };
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy.Lifecycle;

/// <summary>Persists entity lifecycles and their transition history (SQLite/PostgreSQL in Charter.Storage; in memory for tests).</summary>
public interface ILifecycleStore
{
    /// <summary>The stored lifecycle, or null when the entity has never had a transition (treat as active).</summary>
    public ValueTask<EntityLifecycle?> GetAsync(EntityKind kind, string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomically stores <paramref name="lifecycle"/> and appends <paramref name="transition"/> to the history, if the stored
    /// version still equals <paramref name="expectedVersion"/> (0 when nothing is stored yet).
    /// </summary>
    /// <returns>False on a concurrency conflict (nothing written); the caller reloads and retries.</returns>
    public ValueTask<bool> TrySaveAsync(EntityLifecycle lifecycle, LifecycleTransition transition, long expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>The transition history of one entity, oldest first.</summary>
    public ValueTask<IReadOnlyList<LifecycleTransition>> GetHistoryAsync(EntityKind kind, string id, CancellationToken cancellationToken = default);

    /// <summary>Suspended entities whose deadline is at or before <paramref name="dueBy"/> (for the deadline sweep).</summary>
    public ValueTask<IReadOnlyList<EntityLifecycle>> ListSuspendedDueAsync(DateTimeOffset dueBy, CancellationToken cancellationToken = default);
}

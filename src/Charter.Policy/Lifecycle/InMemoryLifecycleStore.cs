// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy.Lifecycle;

/// <summary>A thread-safe in-memory <see cref="ILifecycleStore"/> for tests and single-process demos.</summary>
public sealed class InMemoryLifecycleStore : ILifecycleStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(EntityKind, string), EntityLifecycle> _current = [];
    private readonly Dictionary<(EntityKind, string), List<LifecycleTransition>> _history = [];

    /// <inheritdoc/>
    public ValueTask<EntityLifecycle?> GetAsync(EntityKind kind, string id, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_current.GetValueOrDefault((kind, id)));
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> TrySaveAsync(EntityLifecycle lifecycle, LifecycleTransition transition, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        ArgumentNullException.ThrowIfNull(transition);
        var key = (lifecycle.Kind, lifecycle.Id);
        lock (_lock)
        {
            var stored = _current.TryGetValue(key, out var existing) ? existing.Version : 0;
            if (stored != expectedVersion)
            {
                return ValueTask.FromResult(false);
            }

            _current[key] = lifecycle;
            if (!_history.TryGetValue(key, out var list))
            {
                _history[key] = list = [];
            }

            list.Add(transition);
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<LifecycleTransition>> GetHistoryAsync(EntityKind kind, string id, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<LifecycleTransition> result = _history.TryGetValue((kind, id), out var list) ? [.. list] : [];
            return ValueTask.FromResult(result);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<EntityLifecycle>> ListSuspendedDueAsync(DateTimeOffset dueBy, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var result = new List<EntityLifecycle>();
            foreach (var lifecycle in _current.Values)
            {
                if (lifecycle.State == LifecycleState.Suspended && lifecycle.Deadline is { } d && d <= dueBy)
                {
                    result.Add(lifecycle);
                }
            }

            return ValueTask.FromResult<IReadOnlyList<EntityLifecycle>>(result);
        }
    }
}

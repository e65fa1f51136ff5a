// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Collections.Concurrent;
using Charter.Policy.Lifecycle;

namespace Charter.Policy;

/// <summary>The lifecycles of keys, teams and provider accounts, in memory: the request path never reads the database.</summary>
/// <remarks>Reloaded whole by <see cref="LifecycleRefreshService"/> when the store's change version moves; updated at once by
/// transitions made in this process.</remarks>
public sealed class LifecycleCache
{
    private readonly ILifecycleStore _store;
    private volatile ConcurrentDictionary<(EntityKind, string), EntityLifecycle> _entries = new();

    /// <summary>Creates an empty cache over <paramref name="store"/>.</summary>
    public LifecycleCache(ILifecycleStore store) => _store = store;

    /// <summary>The store change version last loaded (-1 before the first load).</summary>
    public long Version { get; set; } = -1;

    /// <summary>The cached lifecycle, or null (never changed: active, no holds).</summary>
    public EntityLifecycle? Get(EntityKind kind, string id) => _entries.TryGetValue((kind, id), out var lc) ? lc : null;

    /// <summary>The cached lifecycles that carry <paramref name="hold"/>: a snapshot for background sweeps (not for the request path).</summary>
    public List<EntityLifecycle> WithHold(LifecycleHolds hold)
    {
        var list = new List<EntityLifecycle>();
        foreach (var (_, lc) in _entries)
        {
            if ((lc.Holds & hold) != 0)
            {
                list.Add(lc);
            }
        }

        return list;
    }

    /// <summary>Records a lifecycle (after a transition in this process); an older version never replaces a newer one.</summary>
    public void Set(EntityLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        _entries.AddOrUpdate((lifecycle.Kind, lifecycle.Id), lifecycle, (_, old) => old.Version > lifecycle.Version ? old : lifecycle);
    }

    /// <summary>Reloads every stored lifecycle (no-op for stores that cannot list).</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        if (_store is not ILifecycleCatalog catalog)
        {
            return;
        }

        var all = await catalog.ListAllAsync(cancellationToken).ConfigureAwait(false);
        var fresh = new ConcurrentDictionary<(EntityKind, string), EntityLifecycle>();
        foreach (var lc in all)
        {
            fresh[(lc.Kind, lc.Id)] = lc;
        }

        // Keep local transitions that are newer than what was read (a concurrent save in this process).
        foreach (var (k, v) in _entries)
        {
            if (!fresh.TryGetValue(k, out var stored) || stored.Version < v.Version)
            {
                fresh[k] = v;
            }
        }

        _entries = fresh;
    }
}

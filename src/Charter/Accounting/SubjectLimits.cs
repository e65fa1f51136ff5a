// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Charter.Accounting;

/// <summary>The limits that apply to one key or team: an admin's own setting for it, else <c>limits.key_defaults</c> /
/// <c>limits.team_defaults</c>.</summary>
/// <remarks>
/// Own settings are made through <c>PUT /admin/v1/{keys|teams}/{id}/limits</c> (<see cref="SetAsync"/>) or the CLI
/// (<c>charter keys|teams limits</c>, straight into the database). With an <see cref="ILimitOverrideStore"/> (the gateway
/// database: table <c>limit_overrides</c>) they are saved there, announced on the change bus (with <c>--redis</c> every
/// instance reloads at once) and picked up by every instance on the same database through the change version
/// (<see cref="SubjectLimitsSyncService"/>). Without a store (an in-memory gateway store) they live in this process's memory only.
/// Looking limits up on the request path is one lock-free dictionary read.
/// </remarks>
public sealed class SubjectLimits
{
    private readonly IOptionsMonitor<LimitsOptions> _options;
    private readonly ILimitOverrideStore? _store;
    private readonly IChangeNotifier? _notifier;
    private readonly Lock _gate = new();
    private volatile ConcurrentDictionary<string, LimitSet> _keys = new(StringComparer.Ordinal);
    private volatile ConcurrentDictionary<string, LimitSet> _teams = new(StringComparer.Ordinal);
    private volatile bool _anyKeys;
    private volatile bool _anyTeams;

    // Counts this process's own changes (Set). A reload that began before one of them read the store before that change was
    // saved: applying it would put the previous limits back until the next reload, so it is dropped instead.
    private long _localChanges;

    /// <summary>Creates the table over the configured defaults, optionally shared through <paramref name="store"/>.</summary>
    public SubjectLimits(IOptionsMonitor<LimitsOptions> options, ILimitOverrideStore? store = null, IChangeNotifier? notifier = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _store = store;
        _notifier = notifier;
    }

    /// <summary>True when own limits are shared with other instances through a store.</summary>
    public bool IsShared => _store is not null;

    /// <summary>The limits of a key (its own, else the key defaults).</summary>
    public LimitSet ForKey(string keyId) => _anyKeys && _keys.TryGetValue(keyId, out var own) ? own : _options.CurrentValue.KeyDefaults;

    /// <summary>The limits of a team (its own, else the team defaults).</summary>
    public LimitSet ForTeam(string teamId) => _anyTeams && _teams.TryGetValue(teamId, out var own) ? own : _options.CurrentValue.TeamDefaults;

    /// <summary>The limits of a key or team.</summary>
    public LimitSet For(LimitScope scope, string id) => scope == LimitScope.Team ? ForTeam(id) : ForKey(id);

    /// <summary>The limits of a key or team, and whether they are its own, read from one snapshot: a reload between two
    /// separate look-ups could otherwise pair the own limits it removed with "not own".</summary>
    public LimitSet For(LimitScope scope, string id, out bool own)
    {
        own = Map(scope).TryGetValue(id, out var set);
        return own ? set! : scope == LimitScope.Team ? _options.CurrentValue.TeamDefaults : _options.CurrentValue.KeyDefaults;
    }

    /// <summary>True when the key or team has limits of its own.</summary>
    public bool HasOwn(LimitScope scope, string id) => Map(scope).ContainsKey(id);

    /// <summary>Gives a key or team limits of its own in this process only; null returns it to the defaults.</summary>
    public void Set(LimitScope scope, string id, LimitSet? limits)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_gate)
        {
            _localChanges++;
            Apply(scope, id, limits);
        }
    }

    /// <summary>Gives a key or team limits of its own (null: back to the defaults), here at once and, with a store, on every instance.</summary>
    /// <returns>False when the store could not be reached: the change holds on this instance only.</returns>
    public async Task<bool> SetAsync(LimitScope scope, string id, LimitSet? limits, CancellationToken cancellationToken = default)
    {
        Set(scope, id, limits);
        if (_store is null)
        {
            return true;
        }

        var saved = await _store.SaveAsync(scope, id, limits, cancellationToken).ConfigureAwait(false);

        // A reload that read the store after the first Set but before the save committed (another change moved the change
        // version) may have put the old limits back: set them again, which also makes any reload still in flight stale.
        Set(scope, id, limits);
        if (!saved)
        {
            return false;
        }

        if (_notifier is not null)
        {
            var entity = scope == LimitScope.Team ? ChangeEntity.Team : ChangeEntity.Key;
            await _notifier.PublishAsync(new ChangeNotification(entity, id, ChangeKind.Changed), cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Reloads the own limits of one key or team from the store (no-op without one).</summary>
    /// <returns>False when a change made in this process while the store was read made the result stale (not applied).</returns>
    public async Task<bool> ReloadAsync(LimitScope scope, string id, CancellationToken cancellationToken = default)
    {
        if (_store is null)
        {
            return true;
        }

        var seen = Interlocked.Read(ref _localChanges);
        var limits = await _store.LoadAsync(scope, id, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (_localChanges != seen)
            {
                return false;
            }

            Apply(scope, id, limits);
            return true;
        }
    }

    /// <summary>Replaces every own limit with what the store holds (no-op without one).</summary>
    /// <returns>False when a change made in this process while the store was read made the result stale (not applied).</returns>
    public async Task<bool> ReloadAsync(CancellationToken cancellationToken = default)
    {
        if (_store is null)
        {
            return true;
        }

        var seen = Interlocked.Read(ref _localChanges);
        var all = await _store.LoadAllAsync(cancellationToken).ConfigureAwait(false);
        var keys = new ConcurrentDictionary<string, LimitSet>(StringComparer.Ordinal);
        var teams = new ConcurrentDictionary<string, LimitSet>(StringComparer.Ordinal);
        foreach (var (scope, id, limits) in all)
        {
            (scope == LimitScope.Team ? teams : keys)[id] = limits;
        }

        lock (_gate)
        {
            if (_localChanges != seen)
            {
                return false;
            }

            _keys = keys;
            _teams = teams;
            UpdateFlags();
            return true;
        }
    }

    private void Apply(LimitScope scope, string id, LimitSet? limits)
    {
        var map = Map(scope);
        if (limits is null)
        {
            map.TryRemove(id, out _);
        }
        else
        {
            map[id] = limits;
        }

        UpdateFlags();
    }

    // Most deployments give no key its own limits: the request path then skips the dictionary look-ups (IsEmpty locks, so it
    // runs only here, after a change, under _gate so that two changes cannot leave a stale flag).
    private void UpdateFlags()
    {
        _anyKeys = !_keys.IsEmpty;
        _anyTeams = !_teams.IsEmpty;
    }

    private ConcurrentDictionary<string, LimitSet> Map(LimitScope scope) => scope == LimitScope.Team ? _teams : _keys;
}

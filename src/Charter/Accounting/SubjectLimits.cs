// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Charter.Accounting;

/// <summary>The limits that apply to one key or team: an admin's own setting for it, else <c>limits.key_defaults</c> /
/// <c>limits.team_defaults</c>.</summary>
/// <remarks>
/// Own settings are made through <c>PUT /admin/v1/{keys|teams}/{id}/limits</c> and live in this process's memory (not in the
/// database: they are lost at restart and not shared by several instances). Looking limits up is one lock-free dictionary read.
/// </remarks>
public sealed class SubjectLimits
{
    private readonly ConcurrentDictionary<string, LimitSet> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LimitSet> _teams = new(StringComparer.Ordinal);
    private readonly IOptionsMonitor<LimitsOptions> _options;

    /// <summary>Creates the table over the configured defaults.</summary>
    public SubjectLimits(IOptionsMonitor<LimitsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>The limits of a key (its own, else the key defaults).</summary>
    public LimitSet ForKey(string keyId) => _keys.TryGetValue(keyId, out var own) ? own : _options.CurrentValue.KeyDefaults;

    /// <summary>The limits of a team (its own, else the team defaults).</summary>
    public LimitSet ForTeam(string teamId) => _teams.TryGetValue(teamId, out var own) ? own : _options.CurrentValue.TeamDefaults;

    /// <summary>The limits of a key or team.</summary>
    public LimitSet For(LimitScope scope, string id) => scope == LimitScope.Team ? ForTeam(id) : ForKey(id);

    /// <summary>True when the key or team has limits of its own.</summary>
    public bool HasOwn(LimitScope scope, string id) => (scope == LimitScope.Team ? _teams : _keys).ContainsKey(id);

    /// <summary>Gives a key or team limits of its own; null returns it to the defaults.</summary>
    public void Set(LimitScope scope, string id, LimitSet? limits)
    {
        ArgumentNullException.ThrowIfNull(id);
        var map = scope == LimitScope.Team ? _teams : _keys;
        if (limits is null)
        {
            map.TryRemove(id, out _);
        }
        else
        {
            map[id] = limits;
        }
    }
}

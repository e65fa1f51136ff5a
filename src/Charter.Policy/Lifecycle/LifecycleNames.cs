// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy.Lifecycle;

/// <summary>Wire names (snake_case) for lifecycle states, events, holds and entity kinds, as used by the admin API, CLI and audit log.</summary>
public static class LifecycleNames
{
    private static readonly string[] _states = ["active", "under_review", "suspended", "banned", "revoked"];
    private static readonly string[] _events =
        ["review", "suspend", "complete_measure", "reinstate", "ban", "revoke", "place_hold", "clear_hold", "deadline_expired"];
    private static readonly string[] _kinds = ["key", "team", "account"];

    /// <summary>e.g. <c>under_review</c>.</summary>
    public static string ToWireName(this LifecycleState state) => _states[(int)state];

    /// <summary>e.g. <c>complete_measure</c>.</summary>
    public static string ToWireName(this LifecycleEvent lifecycleEvent) => _events[(int)lifecycleEvent];

    /// <summary>e.g. <c>account</c>.</summary>
    public static string ToWireName(this EntityKind kind) => _kinds[(int)kind];

    /// <summary>A single hold's name (<c>geo</c>, <c>budget</c>, <c>provider_suspended</c>) or a comma-separated list for several.</summary>
    public static string ToWireName(this LifecycleHolds holds)
    {
        if (holds == LifecycleHolds.None)
        {
            return "none";
        }

        var names = new List<string>(3);
        if ((holds & LifecycleHolds.Geo) != 0)
        {
            names.Add("geo");
        }

        if ((holds & LifecycleHolds.Budget) != 0)
        {
            names.Add("budget");
        }

        if ((holds & LifecycleHolds.ProviderSuspended) != 0)
        {
            names.Add("provider_suspended");
        }

        return string.Join(",", names);
    }

    /// <summary>Parses an event name.</summary>
    public static bool TryParseEvent(string? name, out LifecycleEvent lifecycleEvent) => TryParse(_events, name, out lifecycleEvent);

    /// <summary>Parses a state name.</summary>
    public static bool TryParseState(string? name, out LifecycleState state) => TryParse(_states, name, out state);

    /// <summary>Parses an entity kind (<c>key</c>, <c>team</c>, <c>account</c>; plurals accepted).</summary>
    public static bool TryParseKind(string? name, out EntityKind kind) => TryParse(_kinds, name?.TrimEnd('s'), out kind);

    /// <summary>Parses one hold name.</summary>
    public static bool TryParseHold(string? name, out LifecycleHolds hold)
    {
        hold = name switch
        {
            "geo" => LifecycleHolds.Geo,
            "budget" => LifecycleHolds.Budget,
            "provider_suspended" => LifecycleHolds.ProviderSuspended,
            _ => LifecycleHolds.None,
        };
        return hold != LifecycleHolds.None;
    }

    private static bool TryParse<T>(string[] names, string? name, out T value)
        where T : struct, Enum
    {
        var index = name is null ? -1 : Array.IndexOf(names, name.ToLowerInvariant());
        value = index < 0 ? default : (T)Enum.ToObject(typeof(T), index);
        return index >= 0;
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Audit.Export;

/// <summary>Builds <see cref="AuditSummary"/> from the bundle's events, in index order; deterministic so a verifier can rebuild it.</summary>
internal sealed class AuditSummaryBuilder
{
    private readonly SortedDictionary<string, long> _byKind = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, long> _byPurpose = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, long> _byProvider = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, long> _byDecision = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, long> _byTeam = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, long> _denialsByRule = new(StringComparer.Ordinal);
    private readonly List<SummaryDenial> _denials = [];
    private readonly List<SummaryTransition> _lifecycle = [];
    private readonly List<SummaryPolicyLoad> _policyLoads = [];
    private readonly List<(DateTimeOffset Ts, string? Decision)> _requests = [];
    private long _entries;

    public void Add(long index, AuditEvent e)
    {
        _entries++;
        Count(_byKind, e.Kind);
        var ts = AuditEventSerializer.FormatTime(e.Ts);
        switch (e.Kind)
        {
            case AuditEventKinds.Request:
                Count(_byPurpose, e.Purpose ?? "(none)");
                Count(_byProvider, e.Provider ?? "(none)");
                Count(_byDecision, e.Decision ?? "(none)");
                Count(_byTeam, e.Team ?? "(none)");
                _requests.Add((e.Ts, e.Decision));
                if (e.Decision == "deny")
                {
                    Count(_denialsByRule, e.Rule ?? "(none)");
                    _denials.Add(new SummaryDenial(index, ts, e.Key, e.Team, e.Purpose, e.Provider, e.Model, e.Rule, e.Code));
                }

                break;
            case AuditEventKinds.Transition:
                _lifecycle.Add(new SummaryTransition(index, ts, e.EntityType, e.EntityId, e.FromState, e.ToState, e.Event, e.Actor, e.Reason, e.Measures,
                    e.Deadline is { } d ? AuditEventSerializer.FormatTime(d) : null));
                break;
            case AuditEventKinds.PolicyLoad:
                _policyLoads.Add(new SummaryPolicyLoad(index, ts, e.PolicyVersion, e.Actor, e.Detail));
                break;
            default:
                break;
        }
    }

    public AuditSummary Build()
    {
        var (bucketSize, volume) = BuildVolume();
        return new AuditSummary(_entries, _requests.Count, _byKind, _byPurpose, _byProvider, _byDecision, _byTeam, _denialsByRule,
            _denials, _lifecycle, _policyLoads, bucketSize, volume);
    }

    private (string, List<SummaryVolume>) BuildVolume()
    {
        var volume = new List<SummaryVolume>();
        if (_requests.Count == 0)
        {
            return ("hour", volume);
        }

        var min = DateTimeOffset.MaxValue;
        var max = DateTimeOffset.MinValue;
        foreach (var (ts, _) in _requests)
        {
            min = ts < min ? ts : min;
            max = ts > max ? ts : max;
        }

        var daily = max - min > TimeSpan.FromDays(2);
        var step = daily ? TimeSpan.FromDays(1) : TimeSpan.FromHours(1);
        var first = Truncate(min, daily);
        var count = (int)((Truncate(max, daily) - first).Ticks / step.Ticks) + 1;
        var allow = new long[count];
        var flag = new long[count];
        var deny = new long[count];
        var other = new long[count];
        foreach (var (ts, decision) in _requests)
        {
            var b = (int)((Truncate(ts, daily) - first).Ticks / step.Ticks);
            switch (decision)
            {
                case "allow": allow[b]++; break;
                case "flag": flag[b]++; break;
                case "deny": deny[b]++; break;
                default: other[b]++; break;
            }
        }

        for (var i = 0; i < count; i++)
        {
            volume.Add(new SummaryVolume(AuditEventSerializer.FormatTime(first + (step * i)), allow[i], flag[i], deny[i], other[i]));
        }

        return (daily ? "day" : "hour", volume);
    }

    private static DateTimeOffset Truncate(DateTimeOffset t, bool daily)
    {
        var u = t.UtcDateTime;
        return new DateTimeOffset(u.Year, u.Month, u.Day, daily ? 0 : u.Hour, 0, 0, TimeSpan.Zero);
    }

    private static void Count(SortedDictionary<string, long> map, string key) =>
        map[key] = map.TryGetValue(key, out var n) ? n + 1 : 1;
}

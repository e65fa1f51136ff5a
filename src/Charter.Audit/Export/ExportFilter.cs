// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Audit.Export;

/// <summary>Which events an evidence bundle holds: a time window [From, To) and at most one of team, key or provider.</summary>
/// <remarks>Policy loads are kept whatever the team/key/provider filter, since they say which policy applied.</remarks>
public sealed record ExportFilter(DateTimeOffset? From = null, DateTimeOffset? To = null, string? Team = null, string? Key = null, string? Provider = null)
{
    /// <summary>True when <paramref name="e"/> belongs in the bundle.</summary>
    public bool Matches(AuditEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if ((From is { } from && e.Ts < from) || (To is { } to && e.Ts >= to))
        {
            return false;
        }

        if (e.Kind == AuditEventKinds.PolicyLoad)
        {
            return true;
        }

        if (Team is not null && e.Team != Team && !(e.EntityType == "team" && e.EntityId == Team))
        {
            return false;
        }

        if (Key is not null && e.Key != Key && !(e.EntityType == "key" && e.EntityId == Key))
        {
            return false;
        }

        if (Provider is not null && e.Provider != Provider && e.Account != Provider
            && !((e.EntityType == "account" || e.EntityType == "provider") && e.EntityId == Provider))
        {
            return false;
        }

        return true;
    }
}

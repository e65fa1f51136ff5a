// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Data.Common;
using Charter.Policy;
using Charter.Policy.Lifecycle;

namespace Charter.Storage;

/// <summary>Lifecycle rows as both lifecycle stores (SQLite, PostgreSQL) read them.</summary>
internal static class LifecycleRows
{
    /// <summary>From a <c>state, lifecycle</c> row: the stored lifecycle, or (state set outside the lifecycle machine, e.g. a
    /// key revoked through the keys API) a version-0 lifecycle in that state; null for a plain active entity.</summary>
    public static EntityLifecycle? FromStateRow(DbDataReader r, EntityKind kind, string id)
    {
        if (!r.IsDBNull(1) && LifecycleJson.DeserializeLifecycle(r.GetString(1)) is { } lc)
        {
            return lc;
        }

        var state = r.GetString(0);
        return state != "active" && LifecycleNames.TryParseState(state, out var parsed)
            ? new EntityLifecycle { Kind = kind, Id = id, State = parsed }
            : null;
    }

    /// <summary>The transitions in the <c>detail</c> column of history rows, in order.</summary>
    public static async Task<List<LifecycleTransition>> TransitionsAsync(DbDataReader r, CancellationToken cancellationToken)
    {
        var list = new List<LifecycleTransition>();
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!r.IsDBNull(0) && LifecycleJson.DeserializeTransition(r.GetString(0)) is { } t)
            {
                list.Add(t);
            }
        }

        return list;
    }

    /// <summary>Adds the lifecycles in the <c>lifecycle</c> column of the rows to <paramref name="into"/>.</summary>
    public static async Task ReadLifecyclesAsync(DbDataReader r, List<EntityLifecycle> into, CancellationToken cancellationToken)
    {
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (LifecycleJson.DeserializeLifecycle(r.GetString(0)) is { } lc)
            {
                into.Add(lc);
            }
        }
    }

    /// <summary>The suspended lifecycles whose deadline is at or before <paramref name="dueBy"/>.</summary>
    public static List<EntityLifecycle> SuspendedDue(List<EntityLifecycle> candidates, DateTimeOffset dueBy)
    {
        var result = new List<EntityLifecycle>();
        foreach (var lc in candidates)
        {
            if (lc.State == LifecycleState.Suspended && lc.Deadline is { } d && d <= dueBy)
            {
                result.Add(lc);
            }
        }

        return result;
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Records;

/// <summary>Pairs completions with their request when both are in one integration batch, so that the request record and
/// the audit leaf are each written once (the usual case: a request completes within one integration interval).</summary>
public static class JournalBatch
{
    /// <summary>The first completion of each request that is itself in <paramref name="events"/>, by request id; null when none.</summary>
    /// <remarks>A completion always follows its request in journal order. Later completions of the same id (none in practice)
    /// are left to the ordinary update, in order.</remarks>
    public static Dictionary<string, JournalEvent>? PairCompletions(IReadOnlyList<JournalEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        HashSet<string>? requests = null;
        Dictionary<string, JournalEvent>? pairs = null;
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (e.Kind == "request")
            {
                (requests ??= new HashSet<string>(StringComparer.Ordinal)).Add(e.Id);
            }
            else if (e.Kind == "completion" && requests is not null && requests.Contains(e.Id))
            {
                (pairs ??= new Dictionary<string, JournalEvent>(StringComparer.Ordinal)).TryAdd(e.Id, e);
            }
        }

        return pairs;
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Storage;

namespace Charter.Admin;

/// <summary>
/// <see cref="IEvalRunQuery"/> for any <see cref="IGatewayStore"/>: scans the request records and groups them in memory.
/// Used when the store has no native query (the SQLite store has <c>SqliteEvalRunQuery</c>).
/// </summary>
public sealed class RecordScanEvalRunQuery(IGatewayStore store) : IEvalRunQuery
{
    /// <inheritdoc/>
    public async Task<IReadOnlyList<EvalRunSummary>> ListRunsAsync(string? key, string? team, int limit, CancellationToken cancellationToken)
    {
        var groups = new Dictionary<(string Run, string? Key, string? Team), Acc>();
        await foreach (var r in store.ReadRequestsAsync(null, null, cancellationToken).ConfigureAwait(false))
        {
            if (string.IsNullOrEmpty(r.EvalRun) || (key is not null && r.Key != key) || (team is not null && r.Team != team))
            {
                continue;
            }

            var id = (r.EvalRun, r.Key, r.Team);
            if (!groups.TryGetValue(id, out var a))
            {
                a = new Acc { First = r.Ts, Last = r.Ts };
                groups[id] = a;
            }

            a.Requests++;
            a.Denied += r.Decision == "deny" ? 1 : 0;
            a.Errors += r.Status >= 400 ? 1 : 0;
            a.First = r.Ts < a.First ? r.Ts : a.First;
            a.Last = r.Ts > a.Last ? r.Ts : a.Last;
            a.Prompt += r.PromptTokens ?? 0;
            a.Completion += r.CompletionTokens ?? 0;
            if (r.CostNanos is { } c)
            {
                a.Cost = (a.Cost ?? 0) + c;
            }

            if (r.Model is not null)
            {
                a.Models.Add(r.Model);
            }

            if (r.Purpose is not null)
            {
                a.Purposes.Add(r.Purpose);
            }
        }

        return [.. groups
            .Select(g => new EvalRunSummary(g.Key.Run, g.Key.Key, g.Key.Team, [.. g.Value.Models], [.. g.Value.Purposes], g.Value.Requests, g.Value.Denied,
                g.Value.Errors, g.Value.First, g.Value.Last, g.Value.Prompt, g.Value.Completion, g.Value.Cost))
            .OrderByDescending(s => s.LastTs).ThenBy(s => s.RunId, StringComparer.Ordinal)
            .Take(limit)];
    }

    private sealed class Acc
    {
        public SortedSet<string> Models { get; } = new(StringComparer.Ordinal);

        public SortedSet<string> Purposes { get; } = new(StringComparer.Ordinal);

        public long Requests { get; set; }

        public long Denied { get; set; }

        public long Errors { get; set; }

        public DateTimeOffset First { get; set; }

        public DateTimeOffset Last { get; set; }

        public long Prompt { get; set; }

        public long Completion { get; set; }

        public long? Cost { get; set; }
    }
}

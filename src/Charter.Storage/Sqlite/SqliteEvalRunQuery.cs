// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Admin;
using Microsoft.Data.Sqlite;

namespace Charter.Storage.Sqlite;

/// <summary>Evaluation runs from the <c>requests</c> table, grouped in SQL (a partial index on <c>eval_run</c> keeps it cheap).</summary>
public sealed class SqliteEvalRunQuery(SqliteGatewayStore store) : IEvalRunQuery
{
    private bool _indexed;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<EvalRunSummary>> ListRunsAsync(string? key, string? team, int limit, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await EnsureIndexAsync(c, cancellationToken).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = """
            SELECT eval_run, key_id, team_id, group_concat(DISTINCT model), group_concat(DISTINCT purpose), COUNT(*),
                   COALESCE(SUM(CASE WHEN decision = 'deny' THEN 1 ELSE 0 END), 0),
                   COALESCE(SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END), 0),
                   MIN(ts), MAX(ts), COALESCE(SUM(prompt_tokens), 0), COALESCE(SUM(completion_tokens), 0), SUM(cost_nanos)
            FROM requests
            WHERE eval_run IS NOT NULL AND eval_run <> ''
              AND ($key IS NULL OR key_id = $key) AND ($team IS NULL OR team_id = $team)
            GROUP BY eval_run, key_id, team_id
            ORDER BY MAX(ts) DESC, eval_run
            LIMIT $n
            """;
        cmd.Parameters.AddWithValue("$key", (object?)key ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$team", (object?)team ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$n", limit);
        var list = new List<EvalRunSummary>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new EvalRunSummary(
                r.GetString(0),
                r.IsDBNull(1) ? null : r.GetString(1),
                r.IsDBNull(2) ? null : r.GetString(2),
                Split(r, 3),
                Split(r, 4),
                r.GetInt64(5),
                r.GetInt64(6),
                r.GetInt64(7),
                SqliteGatewayStore.ParseTs(r.GetString(8)),
                SqliteGatewayStore.ParseTs(r.GetString(9)),
                r.GetInt64(10),
                r.GetInt64(11),
                r.IsDBNull(12) ? null : r.GetInt64(12)));
        }

        return list;
    }

    private static string[] Split(SqliteDataReader r, int ordinal)
    {
        if (r.IsDBNull(ordinal))
        {
            return [];
        }

        var parts = r.GetString(ordinal).Split(',', StringSplitOptions.RemoveEmptyEntries);
        Array.Sort(parts, StringComparer.Ordinal);
        return parts;
    }

    private async Task EnsureIndexAsync(SqliteConnection c, CancellationToken cancellationToken)
    {
        if (_indexed)
        {
            return;
        }

        await using var cmd = c.CreateCommand();
        cmd.CommandText = "CREATE INDEX IF NOT EXISTS requests_eval_run ON requests(eval_run, key_id, team_id) WHERE eval_run IS NOT NULL";
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        _indexed = true;
    }
}

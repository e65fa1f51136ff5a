// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Admin;
using Charter.Audit.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Charter.Storage.Postgres;

/// <summary>Evaluation runs from the PostgreSQL <c>requests</c> table, grouped in SQL: the same rows as
/// <see cref="Sqlite.SqliteEvalRunQuery"/> (a partial index on <c>eval_run</c>, created on first use, keeps it cheap).</summary>
public sealed class PostgresEvalRunQuery(PostgresGatewayStore store) : IEvalRunQuery
{
    private const string IndexSql = "CREATE INDEX IF NOT EXISTS requests_eval_run ON requests(eval_run, key_id, team_id) WHERE eval_run IS NOT NULL";

    // Models and purposes: distinct non-empty values (SQLite's group_concat skips nulls, its split drops empty strings).
    // Ties on the newest record are broken by run id, then key and team, byte-wise, so the order is stable.
    private const string Sql = """
        SELECT eval_run, key_id, team_id,
               array_agg(DISTINCT model) FILTER (WHERE model <> ''), array_agg(DISTINCT purpose) FILTER (WHERE purpose <> ''), COUNT(*),
               COUNT(*) FILTER (WHERE decision = 'deny'), COUNT(*) FILTER (WHERE status >= 400),
               MIN(ts), MAX(ts), COALESCE(SUM(prompt_tokens), 0)::bigint, COALESCE(SUM(completion_tokens), 0)::bigint, SUM(cost_nanos)::bigint
        FROM requests
        WHERE eval_run IS NOT NULL AND eval_run <> ''
          AND ($1::text IS NULL OR key_id = $1) AND ($2::text IS NULL OR team_id = $2)
        GROUP BY eval_run, key_id, team_id
        ORDER BY MAX(ts) DESC, eval_run COLLATE "C", key_id COLLATE "C" NULLS FIRST, team_id COLLATE "C" NULLS FIRST
        LIMIT $3
        """;

    private volatile bool _indexed;

    /// <inheritdoc/>
    public Task<IReadOnlyList<EvalRunSummary>> ListRunsAsync(string? key, string? team, int limit, CancellationToken cancellationToken) =>
        PostgresRetry.RunAsync<IReadOnlyList<EvalRunSummary>>(
            store.DataSource,
            async (c, ct) =>
            {
                await EnsureIndexAsync(c, ct).ConfigureAwait(false);
                await using var cmd = new NpgsqlCommand(Sql, c);
                PostgresGatewayStore.Add(cmd, key, NpgsqlDbType.Text);
                PostgresGatewayStore.Add(cmd, team, NpgsqlDbType.Text);
                PostgresGatewayStore.Add(cmd, Math.Max(0, limit), NpgsqlDbType.Integer);
                var list = new List<EvalRunSummary>();
                await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await r.ReadAsync(ct).ConfigureAwait(false))
                {
                    list.Add(new EvalRunSummary(
                        r.GetString(0),
                        r.IsDBNull(1) ? null : r.GetString(1),
                        r.IsDBNull(2) ? null : r.GetString(2),
                        Sorted(r, 3),
                        Sorted(r, 4),
                        r.GetInt64(5),
                        r.GetInt64(6),
                        r.GetInt64(7),
                        r.GetFieldValue<DateTimeOffset>(8),
                        r.GetFieldValue<DateTimeOffset>(9),
                        r.GetInt64(10),
                        r.GetInt64(11),
                        r.IsDBNull(12) ? null : r.GetInt64(12)));
                }

                return list;
            },
            cancellationToken);

    /// <summary>Distinct values sorted ordinally, as the SQLite query returns them.</summary>
    private static string[] Sorted(NpgsqlDataReader r, int ordinal)
    {
        if (r.IsDBNull(ordinal))
        {
            return [];
        }

        var values = r.GetFieldValue<string[]>(ordinal);
        Array.Sort(values, StringComparer.Ordinal);
        return values;
    }

    /// <summary>Creates the partial index once per process, under the migration lock so instances starting together do not race.</summary>
    private async Task EnsureIndexAsync(NpgsqlConnection c, CancellationToken cancellationToken)
    {
        if (_indexed)
        {
            return;
        }

        await using var tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var cmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", c, tx))
        {
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = PostgresSchema.MigrationLockKey });
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var cmd = new NpgsqlCommand(IndexSql, c, tx))
        {
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        _indexed = true;
    }
}

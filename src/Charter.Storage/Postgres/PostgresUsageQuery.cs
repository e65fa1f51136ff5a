// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text;
using Charter.Audit.Storage;
using Charter.UsageReports;
using Npgsql;
using NpgsqlTypes;

namespace Charter.Storage.Postgres;

/// <summary>Usage over the PostgreSQL <c>requests</c> table: one GROUP BY query with the same rows and order as
/// <see cref="Sqlite.SqliteUsageQuery"/>; denied requests are not counted.</summary>
/// <remarks>
/// Grouped values compare byte-wise (<c>COLLATE "C"</c>, as SQLite's BINARY collation) with nulls first (as SQLite sorts them);
/// days are UTC calendar days; sums are exact (<c>numeric</c> for <c>bigint</c> columns) and returned as 64-bit integers.
/// Retried once on a dead pooled connection (a read is safe to repeat).
/// </remarks>
public sealed class PostgresUsageQuery(PostgresGatewayStore store) : IUsageQuery
{
    /// <inheritdoc/>
    public Task<IReadOnlyList<UsageRow>> QueryAsync(IReadOnlyList<UsageDimension> groupBy, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupBy);
        var sql = BuildSql(groupBy, from is not null, to is not null);
        return PostgresRetry.RunAsync<IReadOnlyList<UsageRow>>(
            store.DataSource,
            async (c, ct) =>
            {
                await using var cmd = new NpgsqlCommand(sql, c);
                if (from is { } f)
                {
                    PostgresGatewayStore.Add(cmd, PostgresGatewayStore.Ts(f), NpgsqlDbType.TimestampTz);
                }

                if (to is { } t)
                {
                    PostgresGatewayStore.Add(cmd, PostgresGatewayStore.Ts(t), NpgsqlDbType.TimestampTz);
                }

                await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
                return await ReadRowsAsync(r, groupBy, ct).ConfigureAwait(false);
            },
            cancellationToken);
    }

    private static async Task<IReadOnlyList<UsageRow>> ReadRowsAsync(NpgsqlDataReader r, IReadOnlyList<UsageDimension> groupBy, CancellationToken cancellationToken)
    {
        var rows = new List<UsageRow>();
        var n = groupBy.Count;
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var requests = r.GetInt64(n);
            if (n == 0 && requests == 0)
            {
                continue;
            }

            string? key = null, team = null, model = null, purpose = null, day = null;
            for (var i = 0; i < n; i++)
            {
                var value = r.IsDBNull(i) ? null : r.GetString(i);
                switch (groupBy[i])
                {
                    case UsageDimension.Key:
                        key = value;
                        break;
                    case UsageDimension.Team:
                        team = value;
                        break;
                    case UsageDimension.Model:
                        model = value;
                        break;
                    case UsageDimension.Purpose:
                        purpose = value;
                        break;
                    default:
                        day = value;
                        break;
                }
            }

            rows.Add(new UsageRow
            {
                Key = key,
                Team = team,
                Model = model,
                Purpose = purpose,
                Day = day,
                Requests = requests,
                PromptTokens = r.GetInt64(n + 1),
                CompletionTokens = r.GetInt64(n + 2),
                CostNanos = r.GetInt64(n + 3),
            });
        }

        return rows;
    }

    /// <summary>The query for a grouping; <c>$1</c> is the lower bound when there is one, then the upper bound.</summary>
    private static string BuildSql(IReadOnlyList<UsageDimension> groupBy, bool hasFrom, bool hasTo)
    {
        var sql = new StringBuilder("SELECT ");
        foreach (var d in groupBy)
        {
            sql.Append(Column(d)).Append(", ");
        }

        // SUM(integer) is bigint, SUM(bigint) is numeric: both exact; the casts fail loudly rather than wrap on overflow.
        sql.Append("COUNT(*), COALESCE(SUM(prompt_tokens), 0)::bigint, COALESCE(SUM(completion_tokens), 0)::bigint, COALESCE(SUM(cost_nanos), 0)::bigint FROM requests ")
            .Append("WHERE COALESCE(decision, 'allow') <> 'deny'");
        var parameter = 0;
        if (hasFrom)
        {
            sql.Append(" AND ts >= $").Append(++parameter);
        }

        if (hasTo)
        {
            sql.Append(" AND ts < $").Append(++parameter);
        }

        if (groupBy.Count > 0)
        {
            sql.Append(" GROUP BY ");
            Ordinals(sql, groupBy.Count, string.Empty);
            sql.Append(" ORDER BY ");
            Ordinals(sql, groupBy.Count, " NULLS FIRST");
        }

        return sql.ToString();
    }

    private static void Ordinals(StringBuilder sql, int count, string suffix)
    {
        for (var i = 1; i <= count; i++)
        {
            sql.Append(i > 1 ? ", " : string.Empty).Append(i).Append(suffix);
        }
    }

    private static string Column(UsageDimension d) => d switch
    {
        UsageDimension.Key => "key_id COLLATE \"C\"",
        UsageDimension.Team => "team_id COLLATE \"C\"",
        UsageDimension.Model => "model COLLATE \"C\"",
        UsageDimension.Purpose => "purpose COLLATE \"C\"",
        UsageDimension.Day => "to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD') COLLATE \"C\"",
        _ => throw new ArgumentOutOfRangeException(nameof(d)),
    };
}

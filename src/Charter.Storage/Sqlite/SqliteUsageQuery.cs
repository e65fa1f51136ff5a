// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text;
using Charter.UsageReports;

namespace Charter.Storage.Sqlite;

/// <summary>Usage over the SQLite <c>requests</c> table: one GROUP BY query; denied requests are not counted.</summary>
public sealed class SqliteUsageQuery(SqliteGatewayStore store) : IUsageQuery
{
    /// <inheritdoc/>
    public async Task<IReadOnlyList<UsageRow>> QueryAsync(IReadOnlyList<UsageDimension> groupBy, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupBy);
        var columns = new StringBuilder();
        foreach (var d in groupBy)
        {
            columns.Append(Column(d)).Append(", ");
        }

        var sql = new StringBuilder("SELECT ").Append(columns)
            .Append("COUNT(*), COALESCE(SUM(prompt_tokens), 0), COALESCE(SUM(completion_tokens), 0), COALESCE(SUM(cost_nanos), 0) FROM requests ")
            .Append("WHERE COALESCE(decision, 'allow') <> 'deny'");
        if (from is not null)
        {
            sql.Append(" AND ts >= $from");
        }

        if (to is not null)
        {
            sql.Append(" AND ts < $to");
        }

        if (groupBy.Count > 0)
        {
            var keys = columns.ToString(0, columns.Length - 2);
            sql.Append(" GROUP BY ").Append(keys).Append(" ORDER BY ").Append(keys);
        }

        await using var c = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql.ToString();
        if (from is not null)
        {
            cmd.Parameters.AddWithValue("$from", SqliteGatewayStore.Ts(from.Value));
        }

        if (to is not null)
        {
            cmd.Parameters.AddWithValue("$to", SqliteGatewayStore.Ts(to.Value));
        }

        var rows = new List<UsageRow>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var n = groupBy.Count;
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            string? Value(UsageDimension d)
            {
                var i = IndexOf(groupBy, d);
                return i < 0 || r.IsDBNull(i) ? null : r.GetString(i);
            }

            var requests = r.GetInt64(n);
            if (n == 0 && requests == 0)
            {
                continue;
            }

            rows.Add(new UsageRow
            {
                Key = Value(UsageDimension.Key),
                Team = Value(UsageDimension.Team),
                Model = Value(UsageDimension.Model),
                Purpose = Value(UsageDimension.Purpose),
                Day = Value(UsageDimension.Day),
                Requests = requests,
                PromptTokens = r.GetInt64(n + 1),
                CompletionTokens = r.GetInt64(n + 2),
                CostNanos = r.GetInt64(n + 3),
            });
        }

        return rows;
    }

    private static int IndexOf(IReadOnlyList<UsageDimension> list, UsageDimension d)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == d)
            {
                return i;
            }
        }

        return -1;
    }

    private static string Column(UsageDimension d) => d switch
    {
        UsageDimension.Key => "key_id",
        UsageDimension.Team => "team_id",
        UsageDimension.Model => "model",
        UsageDimension.Purpose => "purpose",
        UsageDimension.Day => "substr(ts, 1, 10)",
        _ => throw new ArgumentOutOfRangeException(nameof(d)),
    };
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Charter.Detection;
using NpgsqlTypes;

namespace Charter.Storage.Postgres;

/// <summary>Findings in the gateway's PostgreSQL database (table <c>detect_findings</c>, created by migration 3); same semantics
/// as the SQLite finding store (duplicate ids ignored, newest first).</summary>
public sealed class PostgresFindingStore(PostgresGatewayStore store) : IFindingStore
{
    /// <inheritdoc/>
    public async Task AddAsync(IReadOnlyList<FindingRecord> findings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(store);
        await using var c = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var f in findings)
        {
            await using var cmd = new Npgsql.NpgsqlCommand(
                "INSERT INTO detect_findings(id, subject_kind, subject_id, team, risk, crossed_at, json) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING", c, tx);
            PostgresGatewayStore.Add(cmd, f.Id, NpgsqlDbType.Text);
            PostgresGatewayStore.Add(cmd, f.SubjectKind, NpgsqlDbType.Text);
            PostgresGatewayStore.Add(cmd, f.SubjectId, NpgsqlDbType.Text);
            PostgresGatewayStore.Add(cmd, f.Team, NpgsqlDbType.Text);
            PostgresGatewayStore.Add(cmd, f.Risk, NpgsqlDbType.Double);
            PostgresGatewayStore.Add(cmd, PostgresGatewayStore.Ts(f.CrossedAt), NpgsqlDbType.TimestampTz);
            PostgresGatewayStore.Add(cmd, JsonSerializer.Serialize(f, FindingJsonContext.Default.FindingRecord), NpgsqlDbType.Text);
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<FindingRecord>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        await using var c = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new Npgsql.NpgsqlCommand("SELECT json FROM detect_findings ORDER BY crossed_at DESC, id COLLATE \"C\" LIMIT $1", c);
        PostgresGatewayStore.Add(cmd, limit, NpgsqlDbType.Integer);
        var list = new List<FindingRecord>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (JsonSerializer.Deserialize(r.GetString(0), FindingJsonContext.Default.FindingRecord) is { } f)
            {
                list.Add(f);
            }
        }

        return list;
    }
}

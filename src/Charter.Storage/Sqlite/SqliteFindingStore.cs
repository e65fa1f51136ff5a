// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Charter.Detection;

namespace Charter.Storage.Sqlite;

/// <summary>Findings in the gateway's SQLite file (table <c>detect_findings</c>).</summary>
public sealed class SqliteFindingStore(SqliteGatewayStore store) : IFindingStore
{
    private bool _created;

    /// <inheritdoc/>
    public async Task AddAsync(IReadOnlyList<FindingRecord> findings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(findings);
        await using var c = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await EnsureAsync(c, cancellationToken).ConfigureAwait(false);
        foreach (var f in findings)
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "INSERT OR IGNORE INTO detect_findings(id, subject_kind, subject_id, team, risk, crossed_at, json) VALUES ($id, $k, $s, $t, $r, $at, $json)";
            cmd.Parameters.AddWithValue("$id", f.Id);
            cmd.Parameters.AddWithValue("$k", f.SubjectKind);
            cmd.Parameters.AddWithValue("$s", f.SubjectId);
            cmd.Parameters.AddWithValue("$t", f.Team);
            cmd.Parameters.AddWithValue("$r", f.Risk);
            cmd.Parameters.AddWithValue("$at", SqliteGatewayStore.Ts(f.CrossedAt));
            cmd.Parameters.AddWithValue("$json", JsonSerializer.Serialize(f, FindingJsonContext.Default.FindingRecord));
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<FindingRecord>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await EnsureAsync(c, cancellationToken).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT json FROM detect_findings ORDER BY crossed_at DESC, id LIMIT $n";
        cmd.Parameters.AddWithValue("$n", limit);
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

    private async Task EnsureAsync(Microsoft.Data.Sqlite.SqliteConnection c, CancellationToken cancellationToken)
    {
        if (_created)
        {
            return;
        }

        await using var cmd = c.CreateCommand();
        cmd.CommandText = """
            CREATE TABLE IF NOT EXISTS detect_findings(id TEXT PRIMARY KEY, subject_kind TEXT NOT NULL, subject_id TEXT NOT NULL,
                team TEXT, risk REAL NOT NULL, crossed_at TEXT NOT NULL, json TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS detect_findings_subject ON detect_findings(subject_kind, subject_id);
            """;
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        _created = true;
    }
}

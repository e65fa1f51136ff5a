// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;
using System.Runtime.CompilerServices;
using Charter.Audit.Merkle;
using Microsoft.Data.Sqlite;

namespace Charter.Audit.Storage;

/// <summary>SQLite implementation of <see cref="IAuditStore"/> over the shared database file.</summary>
/// <remarks>
/// A batch append is one IMMEDIATE transaction with two prepared inserts reused for every row, which is what makes
/// tens of thousands of leaves per second possible. Proof reads are point lookups on the (level, idx) primary key.
/// </remarks>
public sealed class SqliteAuditStore : IAuditStore
{
    private readonly string _connectionString;

    /// <summary>Creates a store over the SQLite file at <paramref name="databasePath"/>.</summary>
    public SqliteAuditStore(string databasePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = true }.ToString();
    }

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken, write: true).ConfigureAwait(false);
        await using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode=WAL;";
            await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        AuditSchema.EnsureCreated(connection);
    }

    public async Task<long> GetSizeAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return QuerySize(connection, null);
    }

    public async Task AppendAsync(long startIndex, IReadOnlyList<StoredLeaf> leaves, IReadOnlyList<StoredNode> nodes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        ArgumentNullException.ThrowIfNull(nodes);
        await using var connection = await OpenAsync(cancellationToken, write: true).ConfigureAwait(false);
        using var tx = connection.BeginTransaction(deferred: false);
        var size = QuerySize(connection, tx);
        if (size != startIndex)
        {
            throw new AuditStoreConflictException($"Append at {startIndex} but the log has {size} leaves.");
        }

        for (var i = 0; i < leaves.Count; i++)
        {
            if (leaves[i].Index != startIndex + i)
            {
                throw new ArgumentException("Leaves must be consecutive from startIndex.", nameof(leaves));
            }
        }

        InsertRows(connection, "audit_leaves (idx, data, hash)", leaves.Count, (i, s) =>
        {
            s.Bind(1, leaves[i].Index);
            s.Bind(2, leaves[i].Data);
            s.Bind(3, leaves[i].Hash);
        });
        InsertRows(connection, "audit_nodes (level, idx, hash)", nodes.Count, (i, s) =>
        {
            s.Bind(1, nodes[i].Id.Level);
            s.Bind(2, nodes[i].Id.Index);
            s.Bind(3, nodes[i].Hash);
        });

        tx.Commit();
    }

    public async IAsyncEnumerable<StoredLeaf> ReadLeavesAsync(long start, long end, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT idx, data, hash FROM audit_leaves WHERE idx >= $s AND idx < $e ORDER BY idx";
        cmd.Parameters.AddWithValue("$s", start);
        cmd.Parameters.AddWithValue("$e", end);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (reader.Read())
        {
            yield return new StoredLeaf(reader.GetInt64(0), (byte[])reader.GetValue(1), (byte[])reader.GetValue(2));
        }
    }

    public async Task<IReadOnlyList<byte[]>> GetNodeHashesAsync(IReadOnlyList<NodeId> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var result = new byte[ids.Count][];
        if (ids.Count == 0)
        {
            return result;
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var leafCmd = connection.CreateCommand();
        leafCmd.CommandText = "SELECT hash FROM audit_leaves WHERE idx = $i";
        var leafIdx = leafCmd.Parameters.Add("$i", SqliteType.Integer);
        using var nodeCmd = connection.CreateCommand();
        nodeCmd.CommandText = "SELECT hash FROM audit_nodes WHERE level = $l AND idx = $i";
        var nodeLevel = nodeCmd.Parameters.Add("$l", SqliteType.Integer);
        var nodeIdx = nodeCmd.Parameters.Add("$i", SqliteType.Integer);
        leafCmd.Prepare();
        nodeCmd.Prepare();
        for (var i = 0; i < ids.Count; i++)
        {
            object? value;
            if (ids[i].Level == 0)
            {
                leafIdx.Value = ids[i].Index;
                value = leafCmd.ExecuteScalar();
            }
            else
            {
                nodeLevel.Value = ids[i].Level;
                nodeIdx.Value = ids[i].Index;
                value = nodeCmd.ExecuteScalar();
            }

            result[i] = value as byte[] ?? throw new InvalidOperationException($"Audit node {ids[i]} is missing.");
        }

        return result;
    }

    public async IAsyncEnumerable<StoredNode> ReadNodesAsync(int level, long fromIndex, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT idx, hash FROM audit_nodes WHERE level = $l AND idx >= $i ORDER BY idx";
        cmd.Parameters.AddWithValue("$l", level);
        cmd.Parameters.AddWithValue("$i", fromIndex);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (reader.Read())
        {
            yield return new StoredNode(new NodeId(level, reader.GetInt64(0)), (byte[])reader.GetValue(1));
        }
    }

    public async Task SaveCheckpointAsync(StoredCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        await using var connection = await OpenAsync(cancellationToken, write: true).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "INSERT INTO audit_checkpoints (size, root, note, created) VALUES ($s, $r, $n, $c)";
        cmd.Parameters.AddWithValue("$s", checkpoint.Size);
        cmd.Parameters.AddWithValue("$r", checkpoint.Root);
        cmd.Parameters.AddWithValue("$n", checkpoint.Note);
        cmd.Parameters.AddWithValue("$c", checkpoint.CreatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<StoredCheckpoint?> GetLatestCheckpointAsync(CancellationToken cancellationToken = default)
    {
        var list = await QueryCheckpointsAsync("ORDER BY id DESC LIMIT 1", cancellationToken).ConfigureAwait(false);
        return list.Count == 0 ? null : list[0];
    }

    public async Task<IReadOnlyList<StoredCheckpoint>> GetCheckpointsAsync(CancellationToken cancellationToken = default) =>
        await QueryCheckpointsAsync("ORDER BY id", cancellationToken).ConfigureAwait(false);

    public async Task SaveKeyAsync(StoredKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var connection = await OpenAsync(cancellationToken, write: true).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "INSERT OR IGNORE INTO audit_keys (vkey, created) VALUES ($k, $c)";
        cmd.Parameters.AddWithValue("$k", key.VerifierKey);
        cmd.Parameters.AddWithValue("$c", key.CreatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StoredKey>> GetKeysAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT vkey, created FROM audit_keys ORDER BY created, vkey";
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var keys = new List<StoredKey>();
        while (reader.Read())
        {
            keys.Add(new StoredKey(reader.GetString(0), ParseTime(reader.GetString(1))));
        }

        return keys;
    }

    private static void InsertRows(SqliteConnection connection, string target, int count, Action<int, SqliteRawStatement> bind)
    {
        // One prepared single-row INSERT bound by position: a multi-row INSERT with named parameters costs a scan of every
        // parameter name per bound value (quadratic in the rows per statement).
        using var insert = new SqliteRawStatement(connection, $"INSERT INTO {target} VALUES (?1, ?2, ?3)");
        for (var i = 0; i < count; i++)
        {
            bind(i, insert);
            insert.Execute();
        }
    }

    private static DateTimeOffset ParseTime(string s) =>
        DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static long QuerySize(SqliteConnection connection, SqliteTransaction? tx)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT COALESCE(MAX(idx) + 1, 0) FROM audit_leaves";
        return (long)cmd.ExecuteScalar()!;
    }

    private async Task<List<StoredCheckpoint>> QueryCheckpointsAsync(string suffix, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT size, root, note, created FROM audit_checkpoints " + suffix;
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<StoredCheckpoint>();
        while (reader.Read())
        {
            list.Add(new StoredCheckpoint(reader.GetInt64(0), (byte[])reader.GetValue(1), reader.GetString(2), ParseTime(reader.GetString(3))));
        }

        return list;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken, bool write = false)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (write)
        {
            // Readers rely on the connection's default timeout (it retries SQLITE_BUSY); only writers pay for the pragmas.
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "PRAGMA busy_timeout=5000; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-16384;";
            cmd.ExecuteNonQuery();
        }

        return connection;
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Runtime.CompilerServices;
using Charter.Audit.Merkle;
using Npgsql;
using NpgsqlTypes;

namespace Charter.Audit.Storage;

/// <summary>PostgreSQL implementation of <see cref="IAuditStore"/> (same tables and semantics as <see cref="SqliteAuditStore"/>).</summary>
/// <remarks>
/// An append takes a transaction-scoped advisory lock, so two writers (two gateway instances) never interleave: the second
/// one sees the new size and gets <see cref="AuditStoreConflictException"/>. Leaves and nodes are written with binary COPY.
/// </remarks>
public sealed partial class PostgresAuditStore : IAuditStore, IAuditQueueStore, IDisposable, IAsyncDisposable
{
    /// <summary>Advisory lock key serialising appends and table creation ("charter-audit").</summary>
    private const long AuditLockKey = 0x4348_4155_4449_5401;

    private const string CreateSql = """
        CREATE TABLE IF NOT EXISTS audit_leaves (
            idx  bigint PRIMARY KEY,
            data bytea NOT NULL,
            hash bytea NOT NULL);
        CREATE TABLE IF NOT EXISTS audit_nodes (
            level integer NOT NULL,
            idx   bigint NOT NULL,
            hash  bytea NOT NULL,
            PRIMARY KEY (level, idx));
        CREATE TABLE IF NOT EXISTS audit_checkpoints (
            id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            size    bigint NOT NULL,
            root    bytea NOT NULL,
            note    text NOT NULL,
            created timestamptz NOT NULL);
        CREATE TABLE IF NOT EXISTS audit_keys (
            vkey    text PRIMARY KEY,
            created timestamptz NOT NULL);
        CREATE TABLE IF NOT EXISTS audit_queue (
            id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            data bytea NOT NULL);
        CREATE TABLE IF NOT EXISTS audit_producers (
            producer text PRIMARY KEY,
            segment  bigint NOT NULL,
            "offset" bigint NOT NULL);
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _connectionString;

    /// <summary>Creates a store over the PostgreSQL database named by <paramref name="database"/> (URL or Npgsql connection string).</summary>
    public PostgresAuditStore(string database)
    {
        ArgumentException.ThrowIfNullOrEmpty(database);
        _connectionString = PostgresConnectionStrings.ToNpgsql(database);
        _dataSource = NpgsqlDataSource.Create(_connectionString);
    }

    public Task EnsureCreatedAsync(CancellationToken cancellationToken = default) =>
        PostgresRetry.RunAsync(_dataSource, EnsureCreatedOnceAsync, cancellationToken);

    private static async Task EnsureCreatedOnceAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var cmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, tx))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = AuditLockKey });
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var cmd = new NpgsqlCommand(CreateSql, connection, tx))
        {
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<long> GetSizeAsync(CancellationToken cancellationToken = default) =>
        PostgresRetry.RunAsync(_dataSource, (c, ct) => QuerySizeAsync(c, null, ct), cancellationToken);

    public async Task AppendAsync(long startIndex, IReadOnlyList<StoredLeaf> leaves, IReadOnlyList<StoredNode> nodes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        ArgumentNullException.ThrowIfNull(nodes);
        for (var i = 0; i < leaves.Count; i++)
        {
            if (leaves[i].Index != startIndex + i)
            {
                throw new ArgumentException("Leaves must be consecutive from startIndex.", nameof(leaves));
            }
        }

        await PostgresRetry.RunAsync(_dataSource, (c, ct) => AppendOnceAsync(c, startIndex, leaves, nodes, ct), cancellationToken).ConfigureAwait(false);
    }

    private static async Task AppendOnceAsync(NpgsqlConnection connection, long startIndex, IReadOnlyList<StoredLeaf> leaves, IReadOnlyList<StoredNode> nodes, CancellationToken cancellationToken)
    {
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await LockAndCheckSizeAsync(connection, tx, startIndex, cancellationToken).ConfigureAwait(false);
        try
        {
            await CopyLeavesAndNodesAsync(connection, leaves, nodes, cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new AuditStoreConflictException($"Append at {startIndex} collided with another writer.", e);
        }
    }

    private static async Task LockAndCheckSizeAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long startIndex, CancellationToken cancellationToken)
    {
        await using (var cmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, tx))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = AuditLockKey });
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var size = await QuerySizeAsync(connection, tx, cancellationToken).ConfigureAwait(false);
        if (size != startIndex)
        {
            throw new AuditStoreConflictException($"Append at {startIndex} but the log has {size} leaves.");
        }
    }

    private static async Task CopyLeavesAndNodesAsync(NpgsqlConnection connection, IReadOnlyList<StoredLeaf> leaves, IReadOnlyList<StoredNode> nodes, CancellationToken cancellationToken)
    {
        await using (var writer = await connection.BeginBinaryImportAsync("COPY audit_leaves (idx, data, hash) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
        {
            for (var i = 0; i < leaves.Count; i++)
            {
                await writer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(leaves[i].Index, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(leaves[i].Data, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(leaves[i].Hash, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
            }

            await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        if (nodes.Count > 0)
        {
            await using var writer = await connection.BeginBinaryImportAsync("COPY audit_nodes (level, idx, hash) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < nodes.Count; i++)
            {
                await writer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(nodes[i].Id.Level, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(nodes[i].Id.Index, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(nodes[i].Hash, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
            }

            await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async IAsyncEnumerable<StoredLeaf> ReadLeavesAsync(long start, long end, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("SELECT idx, data, hash FROM audit_leaves WHERE idx >= $1 AND idx < $2 ORDER BY idx", connection);
        cmd.Parameters.Add(new NpgsqlParameter { Value = start });
        cmd.Parameters.Add(new NpgsqlParameter { Value = end });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
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

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var leafCmd = new NpgsqlCommand("SELECT hash FROM audit_leaves WHERE idx = $1", connection);
        var leafIdx = new NpgsqlParameter<long>();
        leafCmd.Parameters.Add(leafIdx);
        await using var nodeCmd = new NpgsqlCommand("SELECT hash FROM audit_nodes WHERE level = $1 AND idx = $2", connection);
        var nodeLevel = new NpgsqlParameter<int>();
        var nodeIdx = new NpgsqlParameter<long>();
        nodeCmd.Parameters.Add(nodeLevel);
        nodeCmd.Parameters.Add(nodeIdx);
        for (var i = 0; i < ids.Count; i++)
        {
            object? value;
            if (ids[i].Level == 0)
            {
                leafIdx.TypedValue = ids[i].Index;
                value = await leafCmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                nodeLevel.TypedValue = ids[i].Level;
                nodeIdx.TypedValue = ids[i].Index;
                value = await nodeCmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            }

            result[i] = value as byte[] ?? throw new InvalidOperationException($"Audit node {ids[i]} is missing.");
        }

        return result;
    }

    public async IAsyncEnumerable<StoredNode> ReadNodesAsync(int level, long fromIndex, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("SELECT idx, hash FROM audit_nodes WHERE level = $1 AND idx >= $2 ORDER BY idx", connection);
        cmd.Parameters.Add(new NpgsqlParameter { Value = level });
        cmd.Parameters.Add(new NpgsqlParameter { Value = fromIndex });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new StoredNode(new NodeId(level, reader.GetInt64(0)), (byte[])reader.GetValue(1));
        }
    }

    public async Task SaveCheckpointAsync(StoredCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("INSERT INTO audit_checkpoints (size, root, note, created) VALUES ($1, $2, $3, $4)", connection);
        cmd.Parameters.Add(new NpgsqlParameter { Value = checkpoint.Size });
        cmd.Parameters.Add(new NpgsqlParameter { Value = checkpoint.Root });
        cmd.Parameters.Add(new NpgsqlParameter { Value = checkpoint.Note });
        cmd.Parameters.Add(new NpgsqlParameter { Value = checkpoint.CreatedAt.ToUniversalTime() });
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
        await PostgresRetry.RunAsync(
            _dataSource,
            async (connection, ct) =>
            {
                await using var cmd = new NpgsqlCommand("INSERT INTO audit_keys (vkey, created) VALUES ($1, $2) ON CONFLICT DO NOTHING", connection);
                cmd.Parameters.Add(new NpgsqlParameter { Value = key.VerifierKey });
                cmd.Parameters.Add(new NpgsqlParameter { Value = key.CreatedAt.ToUniversalTime() });
                await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StoredKey>> GetKeysAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("SELECT vkey, created FROM audit_keys ORDER BY created, vkey COLLATE \"C\"", connection);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var keys = new List<StoredKey>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(new StoredKey(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1)));
        }

        return keys;
    }

    /// <inheritdoc/>
    public void Dispose() => _dataSource.Dispose();

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private static async Task<long> QuerySizeAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand("SELECT COALESCE(MAX(idx) + 1, 0) FROM audit_leaves", connection, tx);
        return (long)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private async Task<List<StoredCheckpoint>> QueryCheckpointsAsync(string suffix, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("SELECT size, root, note, created FROM audit_checkpoints " + suffix, connection);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<StoredCheckpoint>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new StoredCheckpoint(reader.GetInt64(0), (byte[])reader.GetValue(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return list;
    }
}

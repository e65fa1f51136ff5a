// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;
using System.Runtime.CompilerServices;
using Charter.Audit.Merkle;
using Microsoft.Data.Sqlite;

namespace Charter.Audit.Storage;

/// <summary>SQLite implementation of <see cref="IAuditStore"/> over the shared database file.</summary>
/// <remarks>
/// A batch append is one IMMEDIATE transaction with one prepared insert reused for every row, which is what makes
/// tens of thousands of leaves per second possible. The interior nodes a leaf completes (levels 1 to the number of
/// trailing one bits of its index) are stored in that leaf's row, 32 bytes each from level 1 up: node (L, i) is in the row
/// of leaf (i + 1)·2^L − 1. One row per leaf instead of a leaf row and, on average, one node row: a B-tree insert less
/// per request logged. Logs written before keep their nodes in <c>audit_nodes</c>, and reads fall back to it. Proof
/// reads are point lookups on the leaves' primary key.
/// </remarks>
public sealed class SqliteAuditStore : IAuditStore
{
    private const int NodeSize = 32;
    private const int MaxNodesPerLeaf = 62;
    private readonly string _connectionString;

    /// <summary>Creates a store over the SQLite file at <paramref name="databasePath"/>.</summary>
    public SqliteAuditStore(string databasePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        _connectionString = SharedConnectionString(databasePath);
    }

    /// <summary>The connection string of a database's pooled connections, the same as the gateway store's
    /// (<c>SqliteGatewayStore</c>), so that both draw from one pool.</summary>
    /// <remarks>
    /// The integrator writes a batch's records and then its audit leaves, one after the other on one thread. From one pool
    /// the second write gets the connection the first one just returned, whose page cache is current. From two pools,
    /// each connection saw the other's commit and, as SQLite does in WAL mode when another connection has written, dropped
    /// its whole page cache and read its B-tree pages again from the file, every batch.
    /// </remarks>
    public static string SharedConnectionString(string databasePath) => new SqliteConnectionStringBuilder
    {
        DataSource = databasePath,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Cache = SqliteCacheMode.Private,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken, write: true).ConfigureAwait(false);
        await using (var wal = connection.CreateCommand())
        {
            // The gateway store may not have created the file yet: the page size before WAL mode, as it does.
            wal.CommandText = SqlitePageSize.Pragma + " PRAGMA journal_mode=WAL;";
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

        // One prepared single-row INSERT bound by position: a multi-row INSERT with named parameters costs a scan of every
        // parameter name per bound value (quadratic in the rows per statement).
        var (first, counts, elsewhere) = PackNodes(startIndex, leaves.Count, nodes);
        using (var insert = new SqliteRawStatement(connection, "INSERT INTO audit_leaves (idx, data, hash, nodes) VALUES (?1, ?2, ?3, ?4)"))
        {
            InsertLeaves(insert, leaves, nodes, first, counts);
        }

        if (elsewhere.Count > 0)
        {
            using var insert = new SqliteRawStatement(connection, "INSERT INTO audit_nodes (level, idx, hash) VALUES (?1, ?2, ?3)");
            foreach (var node in elsewhere)
            {
                insert.Bind(1, node.Id.Level);
                insert.Bind(2, node.Id.Index);
                insert.Bind(3, node.Hash);
                insert.Execute();
            }
        }

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
        using var packedCmd = connection.CreateCommand();
        packedCmd.CommandText = "SELECT nodes FROM audit_leaves WHERE idx = $i";
        var packedIdx = packedCmd.Parameters.Add("$i", SqliteType.Integer);
        using var nodeCmd = connection.CreateCommand();
        nodeCmd.CommandText = "SELECT hash FROM audit_nodes WHERE level = $l AND idx = $i";
        var nodeLevel = nodeCmd.Parameters.Add("$l", SqliteType.Integer);
        var nodeIdx = nodeCmd.Parameters.Add("$i", SqliteType.Integer);
        leafCmd.Prepare();
        packedCmd.Prepare();
        nodeCmd.Prepare();
        for (var i = 0; i < ids.Count; i++)
        {
            var id = ids[i];
            object? value;
            if (id.Level == 0)
            {
                leafIdx.Value = id.Index;
                value = leafCmd.ExecuteScalar();
            }
            else
            {
                packedIdx.Value = id.End - 1;
                value = packedCmd.ExecuteScalar() is byte[] packed && packed.Length >= id.Level * NodeSize
                    ? packed.AsSpan((id.Level - 1) * NodeSize, NodeSize).ToArray()
                    : null;
                if (value is null)
                {
                    nodeLevel.Value = id.Level;
                    nodeIdx.Value = id.Index;
                    value = nodeCmd.ExecuteScalar();
                }
            }

            result[i] = value as byte[] ?? throw new InvalidOperationException($"Audit node {id} is missing.");
        }

        return result;
    }

    public async IAsyncEnumerable<StoredNode> ReadNodesAsync(int level, long fromIndex, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, MaxNodesPerLeaf);

        // Two ordered streams merged: nodes packed into the rows of the leaves that completed them, and nodes of logs
        // written before that (audit_nodes). A node is in one of them.
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var mask = (1L << level) - 1;
        await using var packedCmd = connection.CreateCommand();
        packedCmd.CommandText = "SELECT idx, nodes FROM audit_leaves WHERE idx >= $s AND (idx & $m) = $m AND length(nodes) >= $n ORDER BY idx";
        packedCmd.Parameters.AddWithValue("$s", fromIndex > (long.MaxValue >> level) ? long.MaxValue : ((fromIndex + 1) << level) - 1);
        packedCmd.Parameters.AddWithValue("$m", mask);
        packedCmd.Parameters.AddWithValue("$n", level * NodeSize);
        await using var nodeCmd = connection.CreateCommand();
        nodeCmd.CommandText = "SELECT idx, hash FROM audit_nodes WHERE level = $l AND idx >= $i ORDER BY idx";
        nodeCmd.Parameters.AddWithValue("$l", level);
        nodeCmd.Parameters.AddWithValue("$i", fromIndex);
        await using var packed = await packedCmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var old = await nodeCmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var havePacked = packed.Read();
        var haveOld = old.Read();
        while (havePacked || haveOld)
        {
            var packedIndex = havePacked ? packed.GetInt64(0) >> level : long.MaxValue;
            var oldIndex = haveOld ? old.GetInt64(0) : long.MaxValue;
            if (packedIndex <= oldIndex)
            {
                var hashes = (byte[])packed.GetValue(1);
                yield return new StoredNode(new NodeId(level, packedIndex), hashes.AsSpan((level - 1) * NodeSize, NodeSize).ToArray());
                havePacked = packed.Read();
                if (oldIndex == packedIndex)
                {
                    haveOld = old.Read(); // written twice by a caller: the packed copy is the one proofs read
                }
            }
            else
            {
                yield return new StoredNode(new NodeId(level, oldIndex), (byte[])old.GetValue(1));
                haveOld = old.Read();
            }
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

    // Each leaf row carries the nodes it completes (packed, 32 bytes per level) when they are consecutive in nodes.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once per batch, looping over its rows: see docs/performance.md
    private static void InsertLeaves(SqliteRawStatement insert, IReadOnlyList<StoredLeaf> leaves, IReadOnlyList<StoredNode> nodes, int[] first, int[] counts)
    {
        Span<byte> packed = stackalloc byte[MaxNodesPerLeaf * NodeSize];
        for (var i = 0; i < leaves.Count; i++)
        {
            insert.Bind(1, leaves[i].Index);
            insert.BindBlob(2, leaves[i].Data.Span);
            insert.Bind(3, leaves[i].Hash);
            if (counts[i] == 0)
            {
                insert.BindNull(4);
            }
            else
            {
                for (var level = 0; level < counts[i]; level++)
                {
                    nodes[first[i] + level].Hash.CopyTo(packed[(level * NodeSize)..]);
                }

                insert.BindBlob(4, packed[..(counts[i] * NodeSize)]);
            }

            insert.Execute();
        }
    }

    // Which nodes go into the row of the leaf that completed them: for each leaf of the batch, the position in nodes of
    // its level-1 node and how many consecutive levels follow it there. Anything else (a node completed by a leaf outside
    // the batch, levels out of order) goes into audit_nodes, which reads also consult.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once per batch, looping over its rows: see docs/performance.md
    private static (int[] First, int[] Counts, List<StoredNode> Elsewhere) PackNodes(long startIndex, int leafCount, IReadOnlyList<StoredNode> nodes)
    {
        var first = new int[leafCount];
        var counts = new int[leafCount];
        var elsewhere = new List<StoredNode>();
        for (var j = 0; j < nodes.Count; j++)
        {
            var id = nodes[j].Id;
            var leaf = id.Level is >= 1 and <= MaxNodesPerLeaf && nodes[j].Hash.Length == NodeSize ? id.End - 1 - startIndex : -1;
            if (leaf < 0 || leaf >= leafCount)
            {
                elsewhere.Add(nodes[j]);
                continue;
            }

            var i = (int)leaf;
            if (counts[i] == 0 && id.Level == 1)
            {
                first[i] = j;
                counts[i] = 1;
            }
            else if (counts[i] > 0 && first[i] + counts[i] == j && id.Level == counts[i] + 1)
            {
                counts[i]++;
            }
            else
            {
                elsewhere.Add(nodes[j]);
            }
        }

        return (first, counts, elsewhere);
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
        try
        {
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
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false); // not left open for the finalizer to close
            throw;
        }
    }
}

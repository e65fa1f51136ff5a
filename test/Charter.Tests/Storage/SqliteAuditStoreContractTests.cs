// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Audit.Merkle;
using Charter.Audit.Storage;
using Microsoft.Data.Sqlite;

namespace Charter.Tests.Storage;

/// <summary>The audit store contract on a SQLite file in a temporary directory.</summary>
public sealed class SqliteAuditStoreContractTests : AuditStoreContractTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "charter-audit-store-" + Guid.NewGuid().ToString("N")[..12]);

    protected override Task<IAuditStore> CreateStoreAsync()
    {
        Directory.CreateDirectory(_directory);
        return Task.FromResult<IAuditStore>(new SqliteAuditStore(Path.Combine(_directory, "charter.db")));
    }

    [Fact]
    public async Task AppendAsync_NodesTheBatchCompletes_GoIntoLeafRowsAndReadBackFromThere()
    {
        var (leaves, nodes) = Tree(37);
        await Store.AppendAsync(0, leaves[..11], NodesEndingIn(nodes, 0, 11), Ct);
        await Store.AppendAsync(11, leaves[11..], NodesEndingIn(nodes, 11, 37), Ct);

        Assert.Equal(0L, Scalar("SELECT COUNT(*) FROM audit_nodes"));
        Assert.Equal(nodes.Count * 32L, Scalar("SELECT SUM(length(nodes)) FROM audit_leaves"));
        var ids = nodes.Select(n => n.Id).Append(new NodeId(0, 36)).ToList();
        Assert.Equal(nodes.Select(n => n.Hash).Append(leaves[36].Hash), await Store.GetNodeHashesAsync(ids, Ct));
        for (var level = 1; level <= 5; level++)
        {
            foreach (var from in new long[] { 0, 1, 3 })
            {
                var expected = nodes.Where(n => n.Id.Level == level && n.Id.Index >= from).OrderBy(n => n.Id.Index).ToList();
                Assert.Equal(expected, await ReadNodesAsync(level, from), StoredNodeComparer.Instance);
            }
        }

        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.GetNodeHashesAsync([new NodeId(1, 18)], Ct)); // leaves 36..37
    }

    [Fact]
    public async Task Reads_LogWrittenBeforeTheNodesColumn_FindItsNodesThereAndNewOnesInLeafRows()
    {
        var (leaves, nodes) = Tree(24);
        var old = NodesEndingIn(nodes, 0, 10);
        Exec("""
            DROP TABLE audit_leaves;
            CREATE TABLE audit_leaves (idx INTEGER PRIMARY KEY, data BLOB NOT NULL, hash BLOB NOT NULL);
            """);
        using (var c = Open())
        {
            foreach (var leaf in leaves[..10])
            {
                Exec(c, "INSERT INTO audit_leaves VALUES ($a, $b, $c)", leaf.Index, leaf.Data.ToArray(), leaf.Hash);
            }

            foreach (var node in old)
            {
                Exec(c, "INSERT INTO audit_nodes VALUES ($a, $b, $c)", node.Id.Level, node.Id.Index, node.Hash);
            }
        }

        var reopened = await CreateStoreAsync();
        await reopened.EnsureCreatedAsync(Ct); // adds the column
        await reopened.AppendAsync(10, leaves[10..], NodesEndingIn(nodes, 10, 24), Ct);

        Assert.Equal(old.Count, Scalar("SELECT COUNT(*) FROM audit_nodes"));
        Assert.Equal(nodes.Select(n => n.Hash), await reopened.GetNodeHashesAsync(nodes.Select(n => n.Id).ToList(), Ct));
        for (var level = 1; level <= 4; level++)
        {
            var expected = nodes.Where(n => n.Id.Level == level).OrderBy(n => n.Id.Index).ToList();
            Assert.Equal(expected, await ReadNodesAsync(level, 0), StoredNodeComparer.Instance);
        }
    }

    // Leaves 0..count-1 with real hashes and every node they complete, in the order a log emits them (by the leaf that
    // completes a node, then level).
    private static (StoredLeaf[] Leaves, List<StoredNode> Nodes) Tree(int count)
    {
        var leaves = new StoredLeaf[count];
        var range = new CompactRange();
        var nodes = new List<StoredNode>();
        for (var i = 0; i < count; i++)
        {
            var data = System.Text.Encoding.UTF8.GetBytes($"{{\"i\":{i}}}");
            leaves[i] = new StoredLeaf(i, data, MerkleHash.HashLeaf(data));
            range.Append(leaves[i].Hash, (id, hash) => nodes.Add(new StoredNode(id, hash)));
        }

        return (leaves, nodes);
    }

    private static List<StoredNode> NodesEndingIn(List<StoredNode> nodes, long start, long end) =>
        nodes.Where(n => n.Id.End - 1 >= start && n.Id.End - 1 < end).ToList();

    private async Task<List<StoredNode>> ReadNodesAsync(int level, long from)
    {
        var list = new List<StoredNode>();
        await foreach (var n in Store.ReadNodesAsync(level, from, Ct))
        {
            list.Add(n);
        }

        return list;
    }

    private SqliteConnection Open()
    {
        var c = new SqliteConnection($"Data Source={Path.Combine(_directory, "charter.db")};Pooling=False");
        c.Open();
        return c;
    }

    private long Scalar(string sql)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return (long)cmd.ExecuteScalar()!;
    }

    private void Exec(string sql)
    {
        using var c = Open();
        Exec(c, sql);
    }

    private static void Exec(SqliteConnection c, string sql, params object[] values)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        for (var i = 0; i < values.Length; i++)
        {
            cmd.Parameters.AddWithValue("$" + (char)('a' + i), values[i]);
        }

        cmd.ExecuteNonQuery();
    }

    private sealed class StoredNodeComparer : IEqualityComparer<StoredNode>
    {
        public static readonly StoredNodeComparer Instance = new();

        public bool Equals(StoredNode x, StoredNode y) => x.Id == y.Id && x.Hash.AsSpan().SequenceEqual(y.Hash);

        public int GetHashCode(StoredNode obj) => obj.Id.GetHashCode();
    }

    protected override ValueTask DisposeStoresAsync()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Audit.Merkle;
using Charter.Audit.Storage;

namespace Charter.Tests.Storage;

/// <summary>The behaviour every <see cref="IAuditStore"/> must have; run once per back-end by the subclasses.</summary>
public abstract class AuditStoreContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 10, 5, 12, 0, 0, TimeSpan.Zero);
    private IAuditStore? _store;

    protected IAuditStore Store => _store ?? throw new InvalidOperationException("not initialized");

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = await CreateStoreAsync();
        await _store.EnsureCreatedAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await DisposeStoresAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Creates a store over this test's own, empty database (repeated calls reach the same database).</summary>
    protected abstract Task<IAuditStore> CreateStoreAsync();

    protected abstract ValueTask DisposeStoresAsync();

    [Fact]
    public async Task GetSizeAsync_Empty_IsZero_AndEnsureCreatedIsIdempotent()
    {
        await Store.EnsureCreatedAsync(Ct);

        Assert.Equal(0, await Store.GetSizeAsync(Ct));
        Assert.Null(await Store.GetLatestCheckpointAsync(Ct));
        Assert.Empty(await Store.GetCheckpointsAsync(Ct));
        Assert.Empty(await Store.GetKeysAsync(Ct));
    }

    [Fact]
    public async Task AppendAsync_TwoBatches_LeavesReadBackInOrderWithNodes()
    {
        await Store.AppendAsync(0, [Leaf(0), Leaf(1)], [Node(1, 0)], Ct);
        await Store.AppendAsync(2, [Leaf(2), Leaf(3)], [Node(1, 1), Node(2, 0)], Ct);

        Assert.Equal(4, await Store.GetSizeAsync(Ct));
        var leaves = await ReadLeavesAsync(1, 3);
        Assert.Equal(new long[] { 1, 2 }, leaves.Select(l => l.Index));
        Assert.Equal(Leaf(1).Data.ToArray(), leaves[0].Data.ToArray());
        Assert.Equal(Leaf(2).Hash, leaves[1].Hash);
        var hashes = await Store.GetNodeHashesAsync([new NodeId(2, 0), new NodeId(0, 3), new NodeId(1, 1)], Ct);
        Assert.Equal(new[] { Node(2, 0).Hash, Leaf(3).Hash, Node(1, 1).Hash }, hashes);
        var level1 = new List<StoredNode>();
        await foreach (var n in Store.ReadNodesAsync(1, 0, Ct))
        {
            level1.Add(n);
        }

        Assert.Equal(new[] { new NodeId(1, 0), new NodeId(1, 1) }, level1.Select(n => n.Id));
        Assert.Equal(Node(1, 1).Hash, level1[1].Hash);
    }

    [Fact]
    public async Task GetNodeHashesAsync_MissingNode_Throws()
    {
        await Store.AppendAsync(0, [Leaf(0)], [], Ct);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.GetNodeHashesAsync([new NodeId(0, 0), new NodeId(1, 0)], Ct));
        Assert.Empty(await Store.GetNodeHashesAsync([], Ct));
    }

    [Fact]
    public async Task AppendAsync_WrongStartIndex_ThrowsConflictAndWritesNothing()
    {
        await Store.AppendAsync(0, [Leaf(0), Leaf(1)], [Node(1, 0)], Ct);

        await Assert.ThrowsAsync<AuditStoreConflictException>(() => Store.AppendAsync(1, [Leaf(1)], [], Ct));
        await Assert.ThrowsAsync<AuditStoreConflictException>(() => Store.AppendAsync(3, [Leaf(3)], [], Ct));

        Assert.Equal(2, await Store.GetSizeAsync(Ct));
        Assert.Equal(2, (await ReadLeavesAsync(0, 10)).Count);
    }

    [Fact]
    public async Task AppendAsync_TwoWritersSameStart_ExactlyOneWins()
    {
        var other = await CreateStoreAsync();
        await Store.AppendAsync(0, [Leaf(0)], [], Ct);

        var results = await Task.WhenAll(TryAppendAsync(Store), TryAppendAsync(other));

        Assert.Single(results, r => r);
        Assert.Equal(2, await Store.GetSizeAsync(Ct));
    }

    [Fact]
    public async Task AppendAsync_NonConsecutiveLeaves_ThrowsArgumentException()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendAsync(0, [Leaf(0), Leaf(2)], [], Ct));

        Assert.Equal(0, await Store.GetSizeAsync(Ct));
    }

    [Fact]
    public async Task Checkpoints_SavedInOrder_LatestIsLast()
    {
        var first = new StoredCheckpoint(2, [1, 2, 3], "charter\n2\nAQID\n", T0);
        var second = new StoredCheckpoint(5, [4, 5, 6], "charter\n5\nBAUG\n", T0.AddSeconds(-30));
        await Store.SaveCheckpointAsync(first, Ct);
        await Store.SaveCheckpointAsync(second, Ct);

        var all = await Store.GetCheckpointsAsync(Ct);
        var latest = await Store.GetLatestCheckpointAsync(Ct);

        Assert.Equal(new long[] { 2, 5 }, all.Select(c => c.Size));
        Assert.Equal(first.Root, all[0].Root);
        Assert.Equal((first.Note, first.CreatedAt), (all[0].Note, all[0].CreatedAt));
        Assert.NotNull(latest);
        Assert.Equal((5L, second.Note, second.CreatedAt), (latest.Size, latest.Note, latest.CreatedAt));
        Assert.Equal(second.Root, latest.Root);
    }

    [Fact]
    public async Task SaveKeyAsync_Twice_IsIdempotent_AndKeysOldestFirst()
    {
        await Store.SaveKeyAsync(new StoredKey("charter+bbbb+AQ==", T0.AddDays(1)), Ct);
        await Store.SaveKeyAsync(new StoredKey("charter+aaaa+AQ==", T0), Ct);
        await Store.SaveKeyAsync(new StoredKey("charter+aaaa+AQ==", T0.AddDays(5)), Ct);

        var keys = await Store.GetKeysAsync(Ct);

        Assert.Equal(new[] { new StoredKey("charter+aaaa+AQ==", T0), new StoredKey("charter+bbbb+AQ==", T0.AddDays(1)) }, keys);
    }

    private static StoredLeaf Leaf(long i) => new(i, new byte[] { (byte)'{', (byte)i, (byte)'}' }, [0xAA, (byte)i]);

    private static StoredNode Node(int level, long index) => new(new NodeId(level, index), [0xBB, (byte)level, (byte)index]);

    private static async Task<bool> TryAppendAsync(IAuditStore store)
    {
        try
        {
            await store.AppendAsync(1, [Leaf(1)], [Node(1, 0)], Ct);
            return true;
        }
        catch (AuditStoreConflictException)
        {
            return false;
        }
    }

    private async Task<List<StoredLeaf>> ReadLeavesAsync(long start, long end)
    {
        var list = new List<StoredLeaf>();
        await foreach (var l in Store.ReadLeavesAsync(start, end, Ct))
        {
            list.Add(l);
        }

        return list;
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Audit;
using Charter.Audit.Merkle;
using Charter.Audit.Signing;
using Charter.Audit.Storage;

namespace Charter.Tests.Audit;

public sealed class AuditLogTests
{
    [Fact]
    public async Task AppendAsync_Batches_ProofsAndRootsMatchInMemoryTree()
    {
        using var dir = new TempDirectory();
        using var log = new AuditLog(new SqliteAuditStore(dir.File("charter.db")), AuditTestData.Options(dir));
        var events = AuditTestData.Events(45);
        var memory = new MemoryMerkleTree();
        foreach (var e in events)
        {
            memory.AppendLeaf(AuditEventSerializer.Serialize(e));
        }

        var first = await log.AppendAsync(events.GetRange(0, 20), TestContext.Current.CancellationToken);
        var second = await log.AppendAsync(events.GetRange(20, 25), TestContext.Current.CancellationToken);

        Assert.Equal(new AuditAppendResult(0, 20, 20), first);
        Assert.Equal(new AuditAppendResult(20, 25, 45), second);
        foreach (var size in new long[] { 1, 7, 20, 32, 45 })
        {
            Assert.Equal(memory.RootAt(size), await log.GetRootAsync(size, TestContext.Current.CancellationToken));
            for (var i = 0; i < size; i += 3)
            {
                Assert.Equal(memory.InclusionProof(i, size), await log.GetInclusionProofAsync(i, size, TestContext.Current.CancellationToken));
            }

            Assert.Equal(memory.ConsistencyProof(5, size < 5 ? 5 : size), await log.GetConsistencyProofAsync(5, size < 5 ? 5 : size, TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task AppendAsync_BatchesThatOutgrowTheLeafBuffer_EachLeafIsItsOwnCanonicalJson()
    {
        // A batch's leaves are written back to back into one buffer, which grows (is replaced) mid-batch when a leaf does
        // not fit, and is dropped after a batch past its cap: every stored leaf must still be exactly its event's JSON.
        using var dir = new TempDirectory();
        using var log = new AuditLog(new SqliteAuditStore(dir.File("charter.db")), AuditTestData.Options(dir));
        var events = AuditTestData.Events(30);
        events[3] = Admin(events[3], new string('a', 100_000)); // past the 64 KB the buffer starts with
        events[12] = Admin(events[12], new string('é', 5_000_000)); // 10 MB: past the cap
        var memory = new MemoryMerkleTree();
        foreach (var e in events)
        {
            memory.AppendLeaf(AuditEventSerializer.Serialize(e));
        }

        await log.AppendAsync(events.GetRange(0, 10), TestContext.Current.CancellationToken);
        await log.AppendAsync(events.GetRange(10, 10), TestContext.Current.CancellationToken);
        await log.AppendAsync(events.GetRange(20, 10), TestContext.Current.CancellationToken);

        var stored = await log.GetEntriesAsync(0, 30, TestContext.Current.CancellationToken);
        Assert.Equal(events.Select(e => Convert.ToHexString(AuditEventSerializer.Serialize(e))), stored.Select(l => Convert.ToHexString(l.Data.Span)));
        Assert.Equal(memory.Root(), await log.GetRootAsync(30, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task InitializeAsync_ReopenedDatabase_ContinuesTheSameTree()
    {
        using var dir = new TempDirectory();
        var events = AuditTestData.Events(30);
        using (var log = new AuditLog(new SqliteAuditStore(dir.File("charter.db")), AuditTestData.Options(dir)))
        {
            await log.AppendAsync(events.GetRange(0, 13), TestContext.Current.CancellationToken);
        }

        using var reopened = new AuditLog(new SqliteAuditStore(dir.File("charter.db")), AuditTestData.Options(dir));
        await reopened.AppendAsync(events.GetRange(13, 17), TestContext.Current.CancellationToken);
        var memory = new MemoryMerkleTree();
        foreach (var e in events)
        {
            memory.AppendLeaf(AuditEventSerializer.Serialize(e));
        }

        Assert.Equal(30, reopened.Size);
        Assert.Equal(memory.Root(), await reopened.GetRootAsync(30, TestContext.Current.CancellationToken));
        Assert.Equal("ev-29", (await reopened.GetLastEventAsync(TestContext.Current.CancellationToken))!.Id);
    }

    [Fact]
    public async Task CheckpointAsync_GrownTree_SignsVerifiableNoteAndWritesWitness()
    {
        using var dir = new TempDirectory();
        using var log = new AuditLog(new SqliteAuditStore(dir.File("charter.db")), AuditTestData.Options(dir));
        Assert.Null(await log.CheckpointAsync(TestContext.Current.CancellationToken));
        await log.AppendAsync(AuditTestData.Events(9), TestContext.Current.CancellationToken);

        var cp = await log.CheckpointAsync(TestContext.Current.CancellationToken);
        var same = await log.CheckpointAsync(TestContext.Current.CancellationToken);

        Assert.NotNull(cp);
        Assert.Equal((cp.Size, cp.Note), (same!.Size, same.Note));
        var note = SignedNote.TryParse(cp.Note)!;
        Assert.NotNull(note.FindValidSigner([await log.GetVerifierKeyAsync(TestContext.Current.CancellationToken)]));
        var body = Charter.Audit.Signing.Checkpoint.TryParse(note.Text)!;
        Assert.Equal(("charter.test/audit", 9L), (body.Origin, body.Size));
        Assert.Equal(await log.GetRootAsync(9, TestContext.Current.CancellationToken), body.Root);
        Assert.Equal(cp.Note, AuditKeyFiles.ReadWitness(dir.File("keys")));
    }

    [Fact]
    public async Task RotateKeyAsync_AfterCheckpoint_OldCheckpointsStillVerifyWithStoredKeys()
    {
        using var dir = new TempDirectory();
        using var log = new AuditLog(new SqliteAuditStore(dir.File("charter.db")), AuditTestData.Options(dir));
        await log.AppendAsync(AuditTestData.Events(4), TestContext.Current.CancellationToken);
        var old = (await log.CheckpointAsync(TestContext.Current.CancellationToken))!;
        var oldKey = await log.GetVerifierKeyAsync(TestContext.Current.CancellationToken);

        var newKey = await log.RotateKeyAsync(TestContext.Current.CancellationToken);
        await log.AppendAsync(AuditTestData.Events(3, 4), TestContext.Current.CancellationToken);
        var fresh = (await log.CheckpointAsync(TestContext.Current.CancellationToken))!;

        Assert.NotEqual(oldKey.Text, newKey.Text);
        var keys = (await log.GetKeysAsync(TestContext.Current.CancellationToken)).Select(k => NoteVerifierKey.TryParse(k.VerifierKey)!).ToList();
        Assert.Equal(2, keys.Count);
        Assert.Equal(oldKey.Text, SignedNote.TryParse(old.Note)!.FindValidSigner(keys)!.Text);
        Assert.Equal(newKey.Text, SignedNote.TryParse(fresh.Note)!.FindValidSigner(keys)!.Text);
        Assert.Null(SignedNote.TryParse(fresh.Note)!.FindValidSigner([oldKey]));
    }

    [Fact]
    public async Task AppendAsync_StoreGrewBehindItsBack_ThrowsConflictAndRecovers()
    {
        using var dir = new TempDirectory();
        using var a = new AuditLog(new SqliteAuditStore(dir.File("charter.db")), AuditTestData.Options(dir));
        using var b = new AuditLog(new SqliteAuditStore(dir.File("charter.db")), AuditTestData.Options(dir));
        await a.AppendAsync(AuditTestData.Events(2), TestContext.Current.CancellationToken);
        await b.InitializeAsync(TestContext.Current.CancellationToken);
        await a.AppendAsync(AuditTestData.Events(2, 2), TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<AuditStoreConflictException>(() => b.AppendAsync(AuditTestData.Events(1, 4), TestContext.Current.CancellationToken));
        var retry = await b.AppendAsync(AuditTestData.Events(1, 4), TestContext.Current.CancellationToken);

        Assert.Equal(4, retry.FirstIndex);
    }

    [Fact]
    public async Task GetInclusionProofAsync_SizeBeyondLog_Throws()
    {
        using var dir = new TempDirectory();
        using var log = new AuditLog(new SqliteAuditStore(dir.File("charter.db")), AuditTestData.Options(dir));
        await log.AppendAsync(AuditTestData.Events(3), TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => log.GetInclusionProofAsync(0, 4, TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => log.GetInclusionProofAsync(3, 3, TestContext.Current.CancellationToken));
    }

    private static AuditEvent Admin(AuditEvent e, string reason) => new()
    {
        Kind = AuditEventKinds.Admin, Ts = e.Ts, Id = e.Id, Actor = "admin", Reason = reason,
    };
}

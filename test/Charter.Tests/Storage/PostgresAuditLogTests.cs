// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Tests.Common;
using Charter.Audit;
using Charter.Audit.Merkle;
using Charter.Audit.Storage;
using Charter.Audit.Verification;
using Charter.Tests.Audit;

namespace Charter.Tests.Storage;

/// <summary>The whole audit log (Merkle tree, proofs, signed checkpoints, verification) over <see cref="PostgresAuditStore"/>.</summary>
public sealed class PostgresAuditLogTests
{
    [Fact]
    public async Task AuditLog_OnPostgres_ProofsMatchInMemoryTreeAndVerifyPasses()
    {
        using var dir = new TempDirectory();
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var store = new PostgresAuditStore(database.Url);
        var options = AuditTestData.Options(dir);
        options.DatabasePath = database.ConnectionString;
        var events = AuditTestData.Events(45);
        var memory = new MemoryMerkleTree();
        foreach (var e in events)
        {
            memory.AppendLeaf(AuditEventSerializer.Serialize(e));
        }

        using (var log = new AuditLog(store, options))
        {
            for (var i = 0; i < events.Count; i += 10)
            {
                await log.AppendAsync(events.GetRange(i, Math.Min(10, events.Count - i)), TestContext.Current.CancellationToken);
                await log.CheckpointAsync(TestContext.Current.CancellationToken);
            }

            Assert.Equal(memory.Root(), await log.GetRootAsync(45, TestContext.Current.CancellationToken));
            Assert.Equal(memory.InclusionProof(17, 45), await log.GetInclusionProofAsync(17, 45, TestContext.Current.CancellationToken));
            Assert.Equal(memory.ConsistencyProof(7, 45), await log.GetConsistencyProofAsync(7, 45, TestContext.Current.CancellationToken));
        }

        // A second log over the same database continues the same tree.
        await using var second = new PostgresAuditStore(database.ConnectionString);
        using (var reopened = new AuditLog(second, options))
        {
            await reopened.AppendAsync(AuditTestData.Events(5, offset: 45), TestContext.Current.CancellationToken);
            await reopened.CheckpointAsync(TestContext.Current.CancellationToken);
            Assert.Equal(50, reopened.Size);
        }

        var result = await AuditVerifier.VerifyAsync(store, options.ResolveKeyDirectory());
        Assert.True(result.Ok, result.Problem);
        Assert.Equal(50, result.Entries);
        Assert.Equal(6, result.Checkpoints);
    }
}

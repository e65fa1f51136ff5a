// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Audit;
using Charter.Audit.Merkle;
using Charter.Audit.Signing;
using Charter.Audit.Storage;
using Charter.Audit.Verification;
using CsCheck;
using Microsoft.Data.Sqlite;

namespace Charter.Tests.Audit;

public sealed class AuditVerifierTests
{
    [Fact]
    public async Task VerifyAsync_UntamperedLog_ReportsEntriesAndCheckpoints()
    {
        using var dir = new TempDirectory();
        using var log = await AuditTestData.CreateLogAsync(dir, 37);

        var result = await Verify(dir);

        Assert.True(result.Ok, result.Problem);
        Assert.Equal(37, result.Entries);
        Assert.Equal(4, result.Checkpoints);
    }

    [Fact]
    public async Task VerifyAsync_ChangedByteInLeaf_NamesThatIndex()
    {
        using var dir = new TempDirectory();
        using var log = await AuditTestData.CreateLogAsync(dir, 37);
        Sql(dir, "UPDATE audit_leaves SET data = CAST(replace(CAST(data AS TEXT), 'gpt-4o', 'gpt-4O') AS BLOB) WHERE idx = 23");

        var result = await Verify(dir);

        Assert.False(result.Ok);
        Assert.Equal(23, result.FailingIndex);
    }

    [Fact]
    public async Task VerifyAsync_ChangedLeafWithRecomputedHash_NamesItsPair()
    {
        using var dir = new TempDirectory();
        using var log = await AuditTestData.CreateLogAsync(dir, 37);
        var forged = AuditEventSerializer.Serialize(AuditTestData.Events(1, 500)[0]);
        SetLeaf(dir, 13, forged, MerkleHash.HashLeaf(forged));

        var result = await Verify(dir);

        Assert.False(result.Ok);
        Assert.Equal(12, result.FailingIndex);
    }

    [Fact]
    public async Task VerifyAsync_DeletedLeaf_NamesTheMissingIndex()
    {
        using var dir = new TempDirectory();
        using var log = await AuditTestData.CreateLogAsync(dir, 37);
        Sql(dir, "DELETE FROM audit_leaves WHERE idx = 8");

        var result = await Verify(dir);

        Assert.False(result.Ok);
        Assert.Equal(8, result.FailingIndex);
    }

    [Fact]
    public async Task VerifyAsync_SwappedLeaves_NamesTheFirst()
    {
        using var dir = new TempDirectory();
        using var log = await AuditTestData.CreateLogAsync(dir, 37);
        Sql(dir, """
            UPDATE audit_leaves SET idx = -1 WHERE idx = 4;
            UPDATE audit_leaves SET idx = 4 WHERE idx = 30;
            UPDATE audit_leaves SET idx = 30 WHERE idx = -1;
            """);

        var result = await Verify(dir);

        Assert.False(result.Ok);
        Assert.Equal(4, result.FailingIndex);
    }

    [Fact]
    public async Task VerifyAsync_TruncatedLog_NamesTheFirstMissingIndex()
    {
        using var dir = new TempDirectory();
        using var log = await AuditTestData.CreateLogAsync(dir, 37);
        Sql(dir, "DELETE FROM audit_leaves WHERE idx >= 32");

        var result = await Verify(dir);

        Assert.False(result.Ok);
        Assert.Equal(32, result.FailingIndex);
    }

    [Fact]
    public async Task VerifyAsync_CheckpointResignedWithAnotherKey_Fails()
    {
        using var dir = new TempDirectory();
        using var log = await AuditTestData.CreateLogAsync(dir, 37);
        using var intruder = AuditSigner.LoadOrCreate(dir.File("intruder"), "charter.test/audit");
        var cps = await new SqliteAuditStore(dir.File("charter.db")).GetCheckpointsAsync(TestContext.Current.CancellationToken);
        var body = SignedNote.TryParse(cps[1].Note)!.Text;
        using (var c = Open(dir))
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "UPDATE audit_checkpoints SET note = $n WHERE size = $s; INSERT INTO audit_keys (vkey, created) VALUES ($k, '2026-01-01T00:00:00Z')";
            cmd.Parameters.AddWithValue("$n", intruder.Sign(body));
            cmd.Parameters.AddWithValue("$s", cps[1].Size);
            cmd.Parameters.AddWithValue("$k", intruder.VerifierKey.Text);
            cmd.ExecuteNonQuery();
        }

        var result = await Verify(dir);

        Assert.False(result.Ok);
        Assert.Equal(10, result.FailingIndex);
        Assert.Contains("trusted", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_DatabaseRestoredFromOlderCopy_DetectedByWitness()
    {
        using var dir = new TempDirectory();
        using var log = await AuditTestData.CreateLogAsync(dir, 20);
        Sql(dir, $"VACUUM INTO '{dir.File("backup.db")}'");
        await log.AppendAsync(AuditTestData.Events(15, 20), TestContext.Current.CancellationToken);
        await log.CheckpointAsync(TestContext.Current.CancellationToken);
        SqliteConnection.ClearAllPools();
        File.Delete(dir.File("charter.db-wal"));
        File.Delete(dir.File("charter.db-shm"));
        File.Copy(dir.File("backup.db"), dir.File("charter.db"), overwrite: true);

        var result = await Verify(dir);

        Assert.False(result.Ok);
        Assert.Equal(20, result.FailingIndex);
        Assert.Contains("witness", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_RandomTampering_IsAlwaysDetected()
    {
        using var baseDir = new TempDirectory();
        using (var log = await AuditTestData.CreateLogAsync(baseDir, 40, checkpointEvery: 8))
        {
            Sql(baseDir, $"VACUUM INTO '{baseDir.File("base.db")}'");
        }

        var keys = baseDir.File("keys");
        var cases = Gen.Select(Gen.Int[0, 4], Gen.Int[0, 39], Gen.Int[0, 39], Gen.Int[0, 10_000]);
        var n = 0;
        await cases.SampleAsync(async (kind, i, j, b) =>
        {
            var db = baseDir.File($"case{Interlocked.Increment(ref n)}.db");
            File.Copy(baseDir.File("base.db"), db);
            using (var c = new SqliteConnection($"Data Source={db};Pooling=False"))
            {
                c.Open();
                var data = (byte[])Scalar(c, $"SELECT data FROM audit_leaves WHERE idx = {i}")!;
                switch (kind)
                {
                    case 0: // one byte changed, stored hash kept
                        data[b % data.Length] ^= 0x20;
                        SetLeaf(c, i, data, null);
                        break;
                    case 1: // one byte changed, stored hash recomputed
                        data[b % data.Length] ^= 0x01;
                        SetLeaf(c, i, data, MerkleHash.HashLeaf(data));
                        break;
                    case 2:
                        Exec(c, $"DELETE FROM audit_leaves WHERE idx = {i}");
                        break;
                    case 3:
                        var k = i == j ? (j + 1) % 40 : j;
                        Exec(c, $"UPDATE audit_leaves SET idx = -1 WHERE idx = {i}; UPDATE audit_leaves SET idx = {i} WHERE idx = {k}; UPDATE audit_leaves SET idx = {k} WHERE idx = -1;");
                        break;
                    default:
                        Exec(c, $"DELETE FROM audit_leaves WHERE idx >= {i}");
                        break;
                }
            }

            var result = await AuditVerifier.VerifyAsync(new SqliteAuditStore(db), keys);
            Assert.False(result.Ok, $"tampering {kind} at {i}/{j} went unnoticed");
            Assert.NotNull(result.FailingIndex);
            Assert.True(result.FailingIndex <= i, $"tampering {kind} at {i}: reported {result.FailingIndex}");
        }, iter: 40, threads: 1);
    }

    private static Task<AuditVerifyResult> Verify(TempDirectory dir) =>
        AuditVerifier.VerifyAsync(new SqliteAuditStore(dir.File("charter.db")), dir.File("keys"));

    private static SqliteConnection Open(TempDirectory dir)
    {
        var c = new SqliteConnection($"Data Source={dir.File("charter.db")};Pooling=False");
        c.Open();
        return c;
    }

    private static void Sql(TempDirectory dir, string sql)
    {
        using var c = Open(dir);
        Exec(c, sql);
    }

    private static void Exec(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    private static void SetLeaf(TempDirectory dir, long index, byte[] data, byte[]? hash)
    {
        using var c = Open(dir);
        SetLeaf(c, index, data, hash);
    }

    private static void SetLeaf(SqliteConnection c, long index, byte[] data, byte[]? hash)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = hash is null
            ? "UPDATE audit_leaves SET data = $d WHERE idx = $i"
            : "UPDATE audit_leaves SET data = $d, hash = $h WHERE idx = $i";
        cmd.Parameters.AddWithValue("$d", data);
        cmd.Parameters.AddWithValue("$i", index);
        if (hash is not null)
        {
            cmd.Parameters.AddWithValue("$h", hash);
        }

        cmd.ExecuteNonQuery();
    }
}

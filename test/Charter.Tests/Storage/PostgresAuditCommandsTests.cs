// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.CommandLine;
using Charter.Audit;
using Charter.Audit.Storage;
using Charter.Cli.Commands;
using Charter.Tests.Audit;
using Charter.Tests.Common;
using Npgsql;

namespace Charter.Tests.Storage;

/// <summary><c>charter audit …</c> with <c>--db postgres://…</c> (or an Npgsql connection string), invoked in-process.</summary>
public sealed class PostgresAuditCommandsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Verify_PostgresLog_PassesThenFailsAfterLeafRowTampered(bool rehashLeaf)
    {
        using var dir = new TempDirectory();
        await using var database = await PostgresTestDatabase.CreateAsync();
        await CreateLogAsync(database, dir, 12);

        var byUrl = await Run("audit", "verify", "--db", database.Url, "--key-dir", dir.File("keys"), "--json");
        var byConnectionString = await Run("audit", "verify", "--db", database.ConnectionString, "--key-dir", dir.File("keys"));
        await using (var c = new NpgsqlConnection(database.ConnectionString))
        {
            // Change one byte of leaf 5; the thorough forger also stores the matching leaf hash.
            await c.OpenAsync(Ct);
            var set = rehashLeaf
                ? "data = overlay(data placing '\\x58'::bytea from 12 for 1), hash = sha256('\\x00'::bytea || overlay(data placing '\\x58'::bytea from 12 for 1))"
                : "data = overlay(data placing '\\x58'::bytea from 12 for 1)";
            await using var cmd = new NpgsqlCommand($"UPDATE audit_leaves SET {set} WHERE idx = 5", c);
            Assert.Equal(1, await cmd.ExecuteNonQueryAsync(Ct));
        }

        var tampered = await Run("audit", "verify", "--db", database.Url, "--key-dir", dir.File("keys"), "--json");

        Assert.Equal(0, byUrl);
        Assert.Equal(0, byConnectionString);
        Assert.Equal(1, tampered);
    }

    [Fact]
    public async Task CheckpointRotateExport_PostgresLog_AllSucceedAndBundleAndLogVerify()
    {
        using var dir = new TempDirectory();
        await using var database = await PostgresTestDatabase.CreateAsync();
        await CreateLogAsync(database, dir, 9);
        await using (var store = new PostgresAuditStore(database.Url))
        using (var log = new AuditLog(store, Options(database, dir)))
        {
            await log.AppendAsync(AuditTestData.Events(4, offset: 9), Ct); // not yet checkpointed
        }

        var checkpoint = await Run("audit", "checkpoint", "--db", database.Url, "--key-dir", dir.File("keys"), "--origin", "charter.test/audit");
        var rotate = await Run("audit", "rotate-key", "--db", database.Url, "--key-dir", dir.File("keys"), "--origin", "charter.test/audit");
        var checkpointAfterRotation = await Run("audit", "checkpoint", "--db", database.ConnectionString, "--key-dir", dir.File("keys"), "--origin", "charter.test/audit");
        var export = await Run("audit", "export", "--db", database.Url, "--out", dir.File("bundle.zip"), "--json");
        var bundle = await Run("audit", "verify-bundle", dir.File("bundle.zip"));
        var verify = await Run("audit", "verify", "--db", database.Url, "--key-dir", dir.File("keys"));

        Assert.Equal((0, 0, 0), (checkpoint, rotate, checkpointAfterRotation));
        Assert.Equal((0, 0, 0), (export, bundle, verify));
        await using var check = new PostgresAuditStore(database.ConnectionString);
        Assert.Equal(13, (await check.GetLatestCheckpointAsync(Ct))!.Size);
        Assert.Equal(2, (await check.GetKeysAsync(Ct)).Count);
    }

    [Theory]
    [InlineData("verify")]
    [InlineData("export")]
    [InlineData("checkpoint")]
    public async Task Command_MalformedPostgresUrl_IsUsageError(string command)
    {
        using var dir = new TempDirectory();
        string[] args = command == "export"
            ? ["audit", command, "--db", "postgres:///no-host", "--out", dir.File("x")]
            : ["audit", command, "--db", "postgres:///no-host", "--key-dir", dir.File("keys")];

        Assert.Equal(2, await Run(args));
    }

    [Fact]
    public async Task Verify_PostgresServerUnreachable_ExitsOneWithoutThrowing()
    {
        using var dir = new TempDirectory();

        var code = await Run("audit", "verify", "--db", "Host=127.0.0.1;Port=1;Username=postgres;Timeout=3", "--key-dir", dir.File("keys"), "--json");

        Assert.Equal(1, code);
    }

    private static async Task CreateLogAsync(PostgresTestDatabase database, TempDirectory dir, int count)
    {
        await using var store = new PostgresAuditStore(database.Url);
        using var log = new AuditLog(store, Options(database, dir));
        var events = AuditTestData.Events(count);
        for (var i = 0; i < count; i += 4)
        {
            await log.AppendAsync(events.GetRange(i, Math.Min(4, count - i)), Ct);
            await log.CheckpointAsync(Ct);
        }
    }

    private static AuditOptions Options(PostgresTestDatabase database, TempDirectory dir)
    {
        var options = AuditTestData.Options(dir);
        options.DatabasePath = database.Url;
        return options;
    }

    private static Task<int> Run(params string[] args)
    {
        var root = new RootCommand { AuditCommands.Create() };
        return root.Parse(args).InvokeAsync(cancellationToken: Ct);
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.CommandLine;
using Charter.Cli.Commands;
using Microsoft.Data.Sqlite;

namespace Charter.Tests.Audit;

public sealed class AuditCommandsTests
{
    [Fact]
    public async Task Verify_CleanLog_ExitsZeroAndTamperedExitsOne()
    {
        using var dir = new TempDirectory();
        using (await AuditTestData.CreateLogAsync(dir, 25))
        {
        }

        var clean = await Run("audit", "verify", "--db", dir.File("charter.db"), "--key-dir", dir.File("keys"), "--json");
        using (var c = new SqliteConnection($"Data Source={dir.File("charter.db")};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "DELETE FROM audit_leaves WHERE idx = 3";
            cmd.ExecuteNonQuery();
        }

        var tampered = await Run("audit", "verify", "--db", dir.File("charter.db"), "--key-dir", dir.File("keys"));

        Assert.Equal(0, clean);
        Assert.Equal(1, tampered);
    }

    [Fact]
    public async Task ExportThenVerifyBundle_Zip_ExitsZero()
    {
        using var dir = new TempDirectory();
        string key;
        using (var log = await AuditTestData.CreateLogAsync(dir, 25))
        {
            key = (await log.GetVerifierKeyAsync(TestContext.Current.CancellationToken)).Text;
        }

        var export = await Run("audit", "export", "--db", dir.File("charter.db"), "--out", dir.File("e.zip"), "--provider", "openai");
        var verify = await Run("audit", "verify-bundle", dir.File("e.zip"), "--key", key);

        Assert.Equal(0, export);
        Assert.Equal(0, verify);
    }

    [Fact]
    public async Task Export_TwoSelectors_IsUsageError()
    {
        using var dir = new TempDirectory();

        var code = await Run("audit", "export", "--db", dir.File("charter.db"), "--out", dir.File("x"), "--team", "a", "--key", "b");

        Assert.Equal(2, code);
    }

    private static Task<int> Run(params string[] args)
    {
        var root = new RootCommand { AuditCommands.Create() };
        return root.Parse(args).InvokeAsync();
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Storage;
using Charter.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Charter.Tests.Storage;

/// <summary>The gateway store contract on a SQLite file in a temporary directory.</summary>
public sealed class SqliteGatewayStoreContractTests : GatewayStoreContractTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "charter-store-" + Guid.NewGuid().ToString("N")[..12]);

    protected override Task<IGatewayStore> CreateStoreAsync(bool retainContent, string? instance = null)
    {
        Directory.CreateDirectory(_directory);
        return Task.FromResult<IGatewayStore>(new SqliteGatewayStore(Path.Combine(_directory, "charter.db"), retainContent, instance));
    }

    [Fact]
    public async Task MigrateAsync_DatabaseFromBeforeVersionThree_DropsTheKeyIndexAndKeepsTheTimeIndex()
    {
        var store = (SqliteGatewayStore)await CreateStoreAsync(retainContent: false);
        await store.MigrateAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["requests_ts", "sqlite_autoindex_requests_1"], Indexes(store.Path));

        // A database written by an earlier version: the index exists and the schema stops at version 2.
        Exec(store.Path, "CREATE INDEX requests_key ON requests(key_id, ts); DELETE FROM schema_version WHERE version > 2");
        Assert.Contains("requests_key", Indexes(store.Path));

        await store.MigrateAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["requests_ts", "sqlite_autoindex_requests_1"], Indexes(store.Path));
    }

    private static List<string> Indexes(string path)
    {
        using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT name FROM pragma_index_list('requests') ORDER BY name";
        var names = new List<string>();
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            names.Add(r.GetString(0));
        }

        return names;
    }

    private static void Exec(string path, string sql)
    {
        using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
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

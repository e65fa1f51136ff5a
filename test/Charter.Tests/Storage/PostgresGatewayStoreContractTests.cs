// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Tests.Common;
using Charter.Storage;
using Charter.Storage.Postgres;
using Npgsql;

namespace Charter.Tests.Storage;

/// <summary>The gateway store contract on a fresh PostgreSQL database per test (<c>CHARTER_TEST_PG</c>), plus PostgreSQL-only behaviour.</summary>
public sealed class PostgresGatewayStoreContractTests : GatewayStoreContractTests
{
    private readonly List<PostgresGatewayStore> _stores = [];
    private PostgresTestDatabase? _database;

    protected override async Task<IGatewayStore> CreateStoreAsync(bool retainContent, string? instance = null)
    {
        _database ??= await PostgresTestDatabase.CreateAsync();
        var store = new PostgresGatewayStore(_database.ConnectionString, retainContent, instance);
        _stores.Add(store);
        return store;
    }

    protected override async ValueTask DisposeStoresAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    /// <inheritdoc/>
    protected override async Task<string?> ReadMessagesSha256ColumnAsync(IGatewayStore store, string id)
    {
        await using var c = new NpgsqlConnection(_database!.ConnectionString);
        await c.OpenAsync(TestContext.Current.CancellationToken);
        await using var cmd = new NpgsqlCommand("SELECT messages_sha256 FROM requests WHERE id = @id", c);
        cmd.Parameters.AddWithValue("id", id);
        return await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken) as string;
    }

    [Fact]
    public async Task MigrateAsync_ManyInstancesAtOnce_AllSucceedAndEachStepRunsOnce()
    {
        // A second, empty database so the migrations really race from version 0.
        await using var fresh = await PostgresTestDatabase.CreateAsync();
        var racers = new List<PostgresGatewayStore>();
        for (var i = 0; i < 4; i++)
        {
            racers.Add(new PostgresGatewayStore(fresh.ConnectionString));
        }

        try
        {
            await Task.WhenAll(racers.Select(s => s.MigrateAsync(Ct)));

            await using var c = new NpgsqlConnection(fresh.ConnectionString);
            await c.OpenAsync(Ct);
            await using var cmd = new NpgsqlCommand("SELECT array_agg(version ORDER BY version) FROM schema_version", c);
            var versions = (int[])(await cmd.ExecuteScalarAsync(Ct))!;
            Assert.True(versions.Length >= 2);
            Assert.Equal(Enumerable.Range(1, versions.Length), versions);
            Assert.Equal(0, await racers[0].GetChangeVersionAsync(Ct));
        }
        finally
        {
            foreach (var s in racers)
            {
                await s.DisposeAsync();
            }

            NpgsqlConnection.ClearAllPools();
        }
    }

    [Fact]
    public async Task MigrateAsync_DatabaseFromBeforeVersionFive_DropsTheKeyIndexAndKeepsTheTimeIndex()
    {
        await Store.MigrateAsync(Ct);
        await using var c = new NpgsqlConnection(_database!.ConnectionString);
        await c.OpenAsync(Ct);
        Assert.Equal(["requests_pkey", "requests_response", "requests_ts"], await IndexesAsync(c));

        // A database written by an earlier version: the index exists and the schema stops at version 4.
        await using (var old = new NpgsqlCommand("CREATE INDEX requests_key ON requests(key_id, ts); DELETE FROM schema_version WHERE version > 4", c))
        {
            await old.ExecuteNonQueryAsync(Ct);
        }

        Assert.Contains("requests_key", await IndexesAsync(c));

        await Store.MigrateAsync(Ct);

        Assert.Equal(["requests_pkey", "requests_response", "requests_ts"], await IndexesAsync(c));
    }

    private static async Task<List<string>> IndexesAsync(NpgsqlConnection c)
    {
        await using var cmd = new NpgsqlCommand("SELECT indexname FROM pg_indexes WHERE tablename = 'requests' AND indexname <> 'requests_eval_run' ORDER BY indexname COLLATE \"C\"", c);
        var names = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync(Ct);
        while (await r.ReadAsync(Ct))
        {
            names.Add(r.GetString(0));
        }

        return names;
    }

    [Fact]
    public async Task StoreFactory_PostgresUrl_CreatesWorkingPostgresStore()
    {
        var store = StoreFactory.Create(_database!.Url, retainContent: false);
        try
        {
            Assert.IsType<PostgresGatewayStore>(store);
            await store.MigrateAsync(Ct);
            Assert.True(await store.CreateTeamAsync(new Charter.Keys.TeamRecord { Id = "t9", Name = "via-url", CreatedAt = DateTimeOffset.UnixEpoch }, Ct));
            Assert.Equal("t9", (await Store.FindTeamAsync("via-url", Ct))?.Id);
        }
        finally
        {
            await ((PostgresGatewayStore)store).DisposeAsync();
        }
    }
}

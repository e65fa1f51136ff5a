// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Storage;
using Charter.Storage.Postgres;
using Charter.Tests.Common;
using Charter.UsageReports;
using Npgsql;

namespace Charter.Tests.UsageReports;

/// <summary>The usage query contract on a fresh PostgreSQL database (<c>CHARTER_TEST_PG</c>): the same expectations as SQLite.</summary>
public sealed class PostgresUsageQueryTests : UsageQueryContractTests
{
    private PostgresTestDatabase? _database;
    private PostgresGatewayStore? _store;

    protected override async Task<IGatewayStore> CreateStoreAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        _store = new PostgresGatewayStore(_database.ConnectionString);

        // The test server's default collation is C; a linguistic one on the columns (as on many servers) shows the query orders byte-wise regardless.
        await _store.MigrateAsync(Ct);
        await using var c = await _store.OpenAsync(Ct);
        await using var cmd = new NpgsqlCommand(
            """
            ALTER TABLE requests
                ALTER COLUMN key_id TYPE text COLLATE "und-x-icu",
                ALTER COLUMN team_id TYPE text COLLATE "und-x-icu",
                ALTER COLUMN model TYPE text COLLATE "und-x-icu",
                ALTER COLUMN purpose TYPE text COLLATE "und-x-icu"
            """,
            c);
        await cmd.ExecuteNonQueryAsync(Ct);
        return _store;
    }

    protected override IUsageQuery CreateQuery(IGatewayStore store) => new PostgresUsageQuery((PostgresGatewayStore)store);

    protected override async ValueTask DisposeStoreAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

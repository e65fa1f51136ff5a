// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Admin;
using Charter.Storage;
using Charter.Storage.Postgres;
using Charter.Tests.Common;
using Npgsql;

namespace Charter.Tests.Storage;

/// <summary>The eval-run query contract on a fresh PostgreSQL database (<c>CHARTER_TEST_PG</c>): the same expectations as SQLite.</summary>
public sealed class PostgresEvalRunQueryTests : EvalRunQueryContractTests
{
    private PostgresTestDatabase? _database;
    private PostgresGatewayStore? _store;

    [Fact]
    public async Task ListRunsAsync_FirstCall_CreatesPartialIndexOnEvalRun()
    {
        await CreateQuery(Store).ListRunsAsync(null, null, 10, Ct);

        await using var c = await _store!.OpenAsync(Ct);
        await using var cmd = new NpgsqlCommand("SELECT indexdef FROM pg_indexes WHERE tablename = 'requests' AND indexname = 'requests_eval_run'", c);
        var definition = await cmd.ExecuteScalarAsync(Ct) as string;
        Assert.NotNull(definition);
        Assert.Contains("WHERE (eval_run IS NOT NULL)", definition, StringComparison.Ordinal);
    }

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
                ALTER COLUMN eval_run TYPE text COLLATE "und-x-icu",
                ALTER COLUMN key_id TYPE text COLLATE "und-x-icu",
                ALTER COLUMN team_id TYPE text COLLATE "und-x-icu",
                ALTER COLUMN model TYPE text COLLATE "und-x-icu",
                ALTER COLUMN purpose TYPE text COLLATE "und-x-icu"
            """,
            c);
        await cmd.ExecuteNonQueryAsync(Ct);
        return _store;
    }

    protected override IEvalRunQuery CreateQuery(IGatewayStore store) => new PostgresEvalRunQuery((PostgresGatewayStore)store);

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

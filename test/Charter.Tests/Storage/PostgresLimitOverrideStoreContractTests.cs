// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Accounting;
using Charter.Storage;
using Charter.Storage.Postgres;
using Charter.Tests.Common;
using Microsoft.Extensions.Options;

namespace Charter.Tests.Storage;

/// <summary>The own-limits store contract on a fresh PostgreSQL database per test (<c>CHARTER_TEST_PG</c>).</summary>
public sealed class PostgresLimitOverrideStoreContractTests : LimitOverrideStoreContractTests
{
    private readonly List<PostgresGatewayStore> _stores = [];
    private PostgresTestDatabase? _database;

    protected override async Task<(IGatewayStore Gateway, DatabaseLimitOverrideStore Limits)> CreateAsync(IOptionsMonitor<LimitsOptions>? options, TimeProvider time)
    {
        _database ??= await PostgresTestDatabase.CreateAsync();
        var gateway = new PostgresGatewayStore(_database.ConnectionString);
        _stores.Add(gateway);
        return (gateway, new PostgresLimitOverrideStore(gateway, options, time));
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
}

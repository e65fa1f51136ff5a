// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Tests.Common;
using Charter.Audit.Storage;

namespace Charter.Tests.Storage;

/// <summary>The audit store contract on a fresh PostgreSQL database per test (<c>CHARTER_TEST_PG</c>).</summary>
public sealed class PostgresAuditStoreContractTests : AuditStoreContractTests
{
    private readonly List<PostgresAuditStore> _stores = [];
    private PostgresTestDatabase? _database;

    protected override async Task<IAuditStore> CreateStoreAsync()
    {
        _database ??= await PostgresTestDatabase.CreateAsync();
        var store = new PostgresAuditStore(_database.ConnectionString);
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
}

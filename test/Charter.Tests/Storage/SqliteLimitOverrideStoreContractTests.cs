// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Accounting;
using Charter.Storage;
using Charter.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Charter.Tests.Storage;

/// <summary>The own-limits store contract on a SQLite file in a temporary directory.</summary>
public sealed class SqliteLimitOverrideStoreContractTests : LimitOverrideStoreContractTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "charter-limits-" + Guid.NewGuid().ToString("N")[..12]);

    protected override Task<(IGatewayStore Gateway, DatabaseLimitOverrideStore Limits)> CreateAsync(IOptionsMonitor<LimitsOptions>? options, TimeProvider time)
    {
        Directory.CreateDirectory(_directory);
        var gateway = new SqliteGatewayStore(Path.Combine(_directory, "charter.db"));
        return Task.FromResult<(IGatewayStore, DatabaseLimitOverrideStore)>((gateway, new SqliteLimitOverrideStore(gateway, options, time)));
    }

    [Fact]
    public async Task SaveAsync_DatabaseWithoutTheTable_ReturnsFalse()
    {
        Directory.CreateDirectory(_directory);
        var unmigrated = new SqliteGatewayStore(Path.Combine(_directory, "unmigrated.db"));
        var store = new SqliteLimitOverrideStore(unmigrated);

        Assert.False(await store.SaveAsync(LimitScope.Key, "k1", new LimitSet { RequestsPerMinute = 1 }, Ct));
        Assert.False(await store.SaveAsync(LimitScope.Key, "k1", null, Ct));
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

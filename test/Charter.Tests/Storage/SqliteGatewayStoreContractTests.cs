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

// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Storage;
using Charter.Storage.Sqlite;
using Charter.UsageReports;
using Microsoft.Data.Sqlite;

namespace Charter.Tests.UsageReports;

/// <summary>The usage query contract on a SQLite file in a temporary directory.</summary>
public sealed class SqliteUsageQueryTests : UsageQueryContractTests
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "charter-usage-" + Guid.NewGuid().ToString("N")[..10]);

    protected override Task<IGatewayStore> CreateStoreAsync()
    {
        Directory.CreateDirectory(_dir);
        return Task.FromResult<IGatewayStore>(new SqliteGatewayStore(Path.Combine(_dir, "charter.db")));
    }

    protected override IUsageQuery CreateQuery(IGatewayStore store) => new SqliteUsageQuery((SqliteGatewayStore)store);

    protected override ValueTask DisposeStoreAsync()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }
}

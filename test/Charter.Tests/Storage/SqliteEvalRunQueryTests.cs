// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Admin;
using Charter.Storage;
using Charter.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Charter.Tests.Storage;

/// <summary>The eval-run query contract on a SQLite file in a temporary directory.</summary>
public sealed class SqliteEvalRunQueryTests : EvalRunQueryContractTests
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "charter-evalruns-" + Guid.NewGuid().ToString("N")[..10]);

    protected override Task<IGatewayStore> CreateStoreAsync()
    {
        Directory.CreateDirectory(_dir);
        return Task.FromResult<IGatewayStore>(new SqliteGatewayStore(Path.Combine(_dir, "charter.db")));
    }

    protected override IEvalRunQuery CreateQuery(IGatewayStore store) => new SqliteEvalRunQuery((SqliteGatewayStore)store);

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

// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Audit.Storage;
using Microsoft.Data.Sqlite;

namespace Charter.Tests.Storage;

/// <summary>The audit store contract on a SQLite file in a temporary directory.</summary>
public sealed class SqliteAuditStoreContractTests : AuditStoreContractTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "charter-audit-store-" + Guid.NewGuid().ToString("N")[..12]);

    protected override Task<IAuditStore> CreateStoreAsync()
    {
        Directory.CreateDirectory(_directory);
        return Task.FromResult<IAuditStore>(new SqliteAuditStore(Path.Combine(_directory, "charter.db")));
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

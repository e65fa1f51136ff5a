// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Keys;
using Charter.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Charter.Tests.Keys;

/// <summary>A migrated SQLite gateway store in a temporary folder with a key registry over it, for the key and admin-key
/// lifecycle tests; the folder goes with <see cref="Dispose"/>.</summary>
internal sealed class TempKeyStore : IDisposable
{
    /// <summary>The tests' "now" (their fake clocks start here).</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly string _directory;

    public TempKeyStore(string prefix)
    {
        _directory = Directory.CreateTempSubdirectory(prefix).FullName;
    }

    /// <summary>A new store on the folder's database (migrated) and a registry over it.</summary>
    public async Task<(SqliteGatewayStore Store, KeyRegistry Registry)> OpenAsync()
    {
        var store = new SqliteGatewayStore(Path.Combine(_directory, "charter.db"));
        await store.MigrateAsync(TestContext.Current.CancellationToken);
        return (store, new KeyRegistry(store));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}

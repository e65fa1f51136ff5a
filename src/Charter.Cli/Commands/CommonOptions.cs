// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.CommandLine;
using Charter.Storage;
using Charter.Storage.Sqlite;

namespace Charter.Cli.Commands;

/// <summary>Options shared by several commands.</summary>
internal static class CommonOptions
{
    public static Option<string> Db() => new("--db")
    {
        Description = "Database: a SQLite file (default charter.db) or a PostgreSQL URL",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("CHARTER__Storage__Database") ?? "charter.db",
    };

    public static Option<bool> Json() => new("--json") { Description = "Print machine-readable JSON" };

    public static async Task<IGatewayStore> OpenStoreAsync(string db, CancellationToken cancellationToken)
    {
        var store = StoreFactory.Create(db, retainContent: false);
        await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
        return store;
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Storage.Sqlite;

namespace Charter.Storage;

/// <summary>Chooses the store implementation from the database setting.</summary>
public static class StoreFactory
{
    /// <summary>True when <paramref name="database"/> names a PostgreSQL server rather than a SQLite file.</summary>
    public static bool IsPostgres(string database) =>
        database.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || database.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || database.Contains("Host=", StringComparison.OrdinalIgnoreCase);

    /// <summary>Creates the store for <paramref name="database"/>.</summary>
    public static IGatewayStore Create(string database, bool retainContent)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (IsPostgres(database))
        {
            throw new NotSupportedException("PostgreSQL storage is not available in this build yet; use a SQLite file.");
        }

        return new SqliteGatewayStore(database, retainContent);
    }
}

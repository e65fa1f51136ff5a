// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Audit.Storage;
using Charter.Storage.Postgres;
using Charter.Storage.Sqlite;

namespace Charter.Storage;

/// <summary>Chooses the store implementation from the database setting.</summary>
public static class StoreFactory
{
    /// <summary>True when <paramref name="database"/> names a PostgreSQL server (<c>postgres://…</c> URL or an Npgsql
    /// <c>Host=…</c> connection string) rather than a SQLite file.</summary>
    public static bool IsPostgres(string database) => PostgresConnectionStrings.IsPostgres(database);

    /// <summary>Creates the store for <paramref name="database"/>: <see cref="PostgresGatewayStore"/> for PostgreSQL, otherwise
    /// <see cref="SqliteGatewayStore"/> over the file.</summary>
    /// <param name="database">SQLite file, <c>postgres://…</c> URL or Npgsql connection string.</param>
    /// <param name="retainContent">Keep prompt text in request records.</param>
    /// <param name="instance">The journal instance id under which journal positions are kept (several instances, one database).</param>
    public static IGatewayStore Create(string database, bool retainContent, string? instance = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        return IsPostgres(database) ? new PostgresGatewayStore(database, retainContent, instance) : new SqliteGatewayStore(database, retainContent, instance);
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using Microsoft.Data.Sqlite;

namespace Charter.Audit.Storage;

/// <summary>The audit tables in the shared SQLite database.</summary>
public static class AuditSchema
{
    /// <summary>SQL creating the audit tables; plain enough to port to PostgreSQL (BLOB → bytea).</summary>
    public const string CreateSql = """
        CREATE TABLE IF NOT EXISTS audit_leaves (
            idx   INTEGER PRIMARY KEY,
            data  BLOB NOT NULL,
            hash  BLOB NOT NULL,
            nodes BLOB);
        CREATE TABLE IF NOT EXISTS audit_nodes (
            level INTEGER NOT NULL,
            idx   INTEGER NOT NULL,
            hash  BLOB NOT NULL,
            PRIMARY KEY (level, idx)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS audit_checkpoints (
            id      INTEGER PRIMARY KEY AUTOINCREMENT,
            size    INTEGER NOT NULL,
            root    BLOB NOT NULL,
            note    TEXT NOT NULL,
            created TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS audit_keys (
            vkey    TEXT PRIMARY KEY,
            created TEXT NOT NULL);
        """;

    /// <summary>Creates the audit tables on an open connection.</summary>
    public static void EnsureCreated(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = CreateSql;
        cmd.ExecuteNonQuery();

        // Logs created before the nodes column: add it (their nodes stay in audit_nodes, where reads still find them).
        cmd.CommandText = "SELECT COUNT(*) FROM pragma_table_info('audit_leaves') WHERE name = 'nodes'";
        if ((long)cmd.ExecuteScalar()! == 0)
        {
            cmd.CommandText = "ALTER TABLE audit_leaves ADD COLUMN nodes BLOB";
            try
            {
                cmd.ExecuteNonQuery();
            }
            catch (SqliteException e) when (e.Message.Contains("duplicate column", StringComparison.OrdinalIgnoreCase))
            {
                // Another process opening the same file added it first.
            }
        }
    }
}

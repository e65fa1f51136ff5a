// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;
using Npgsql;

namespace Charter.Audit.Storage;

/// <summary>Recognises PostgreSQL database settings and turns <c>postgres://</c> URLs into Npgsql connection strings.</summary>
public static class PostgresConnectionStrings
{
    /// <summary>True when <paramref name="database"/> names a PostgreSQL server (URL or <c>Host=…</c> connection string) rather than a SQLite file.</summary>
    public static bool IsPostgres(string? database) =>
        database is not null
        && (database.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || database.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            || database.Contains("Host=", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Converts <c>postgres://user:password@host:port/database?sslmode=require</c> into an Npgsql connection string;
    /// a string that is already in Npgsql form is returned unchanged.
    /// </summary>
    /// <exception cref="ArgumentException">The URL is malformed or carries an unknown query parameter.</exception>
    public static string ToNpgsql(string database)
    {
        ArgumentException.ThrowIfNullOrEmpty(database);
        if (!database.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) && !database.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return database;
        }

        if (!Uri.TryCreate(database, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException("Not a valid postgres:// URL.", nameof(database));
        }

        var b = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host.Trim('[', ']'),
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
        };
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            b.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                b.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        var path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0)
        {
            b.Database = Uri.UnescapeDataString(path);
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..]);
            var key = name.ToLowerInvariant() switch
            {
                "sslmode" => "SSL Mode",
                "connect_timeout" => "Timeout",
                "application_name" => "Application Name",
                _ => name,
            };
            try
            {
                b[key] = key == "SSL Mode" ? CultureInfo.InvariantCulture.TextInfo.ToTitleCase(value.Replace("-", string.Empty, StringComparison.Ordinal)) : value;
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"Unsupported parameter '{name}' in the postgres:// URL.", nameof(database), e);
            }
        }

        return b.ConnectionString;
    }
}

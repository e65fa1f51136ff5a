// Copyright (c) Charter contributors. Licensed under the MIT License.

using Npgsql;

namespace Charter.Tests.Common;

/// <summary>A fresh, uniquely named PostgreSQL database on the server named by <c>CHARTER_TEST_PG</c>, dropped on dispose.</summary>
/// <remarks>Fails (never skips) when the variable is unset: run <c>eval "$(eng/services.sh env)"</c> first.</remarks>
public sealed class PostgresTestDatabase : IAsyncDisposable
{
    public const string Variable = "CHARTER_TEST_PG";

    private readonly string _admin;

    private PostgresTestDatabase(string admin, string name, string connectionString)
    {
        _admin = admin;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    /// <summary>Npgsql connection string of the fresh database.</summary>
    public string ConnectionString { get; }

    /// <summary>The same database as a <c>postgres://</c> URL.</summary>
    public string Url
    {
        get
        {
            var b = new NpgsqlConnectionStringBuilder(ConnectionString);
            var auth = b.Password is { Length: > 0 } p ? $"{Uri.EscapeDataString(b.Username!)}:{Uri.EscapeDataString(p)}" : Uri.EscapeDataString(b.Username ?? "postgres");
            return $"postgres://{auth}@{b.Host}:{b.Port}/{b.Database}";
        }
    }

    public static async Task<PostgresTestDatabase> CreateAsync()
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException(
                $"{Variable} is not set: the PostgreSQL storage tests need a server. Run `eng/services.sh start` and `eval \"$(eng/services.sh env)\"` before the tests.");
        }

        var admin = new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString;
        var name = "charter_t_" + Guid.NewGuid().ToString("N")[..16];
        await using (var c = new NpgsqlConnection(admin))
        {
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", c);
            await cmd.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        return new PostgresTestDatabase(admin, name, connectionString);
    }

    public async ValueTask DisposeAsync()
    {
        await using var c = new NpgsqlConnection(_admin);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", c);
        await cmd.ExecuteNonQueryAsync();
    }
}

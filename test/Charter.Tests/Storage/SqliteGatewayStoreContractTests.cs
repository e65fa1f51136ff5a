// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Audit.Storage;
using Charter.Keys;
using Charter.Storage;
using Charter.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Charter.Tests.Storage;

/// <summary>The gateway store contract on a SQLite file in a temporary directory.</summary>
public sealed class SqliteGatewayStoreContractTests : GatewayStoreContractTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "charter-store-" + Guid.NewGuid().ToString("N")[..12]);

    protected override Task<IGatewayStore> CreateStoreAsync(bool retainContent, string? instance = null)
    {
        Directory.CreateDirectory(_directory);
        return Task.FromResult<IGatewayStore>(new SqliteGatewayStore(Path.Combine(_directory, "charter.db"), retainContent, instance));
    }

    [Fact]
    public async Task MigrateAsync_DatabaseFromBeforeVersionThree_DropsTheKeyIndexAndKeepsTheTimeIndex()
    {
        var store = (SqliteGatewayStore)await CreateStoreAsync(retainContent: false);
        await store.MigrateAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["requests_response", "requests_ts", "sqlite_autoindex_requests_1"], Indexes(store.Path));

        // A database written by an earlier version: the index exists, the columns of versions 4 to 6 do not, and the schema
        // stops at version 2.
        Exec(store.Path, """
            CREATE INDEX requests_key ON requests(key_id, ts); DELETE FROM schema_version WHERE version > 2;
            DROP INDEX api_keys_previous_hash; ALTER TABLE api_keys DROP COLUMN previous_hash; ALTER TABLE api_keys DROP COLUMN previous_expires_at;
            ALTER TABLE api_keys DROP COLUMN expires_at; ALTER TABLE admin_keys DROP COLUMN created_by;
            ALTER TABLE admin_keys DROP COLUMN expires_at; ALTER TABLE admin_keys DROP COLUMN revoked_at;
            ALTER TABLE requests DROP COLUMN first_token_ms; DROP INDEX requests_response; ALTER TABLE requests DROP COLUMN response_id;
            """);
        Assert.Contains("requests_key", Indexes(store.Path));

        await store.MigrateAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["requests_response", "requests_ts", "sqlite_autoindex_requests_1"], Indexes(store.Path));
        Assert.Equal(1L, Scalar(store.Path, "SELECT COUNT(*) FROM pragma_table_info('requests') WHERE name = 'first_token_ms'"));
        Assert.Equal(1L, Scalar(store.Path, "SELECT COUNT(*) FROM pragma_table_info('requests') WHERE name = 'response_id'"));
    }

    [Fact]
    public async Task OpenAsync_FileIsNotADatabase_ThrowsAndLeavesNoConnectionOpen()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Reads the process's open files from /proc/self/fd.");
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, "not-a-database.db");
        await File.WriteAllTextAsync(path, new string('x', 16384), TestContext.Current.CancellationToken);
        var store = new SqliteGatewayStore(path);

        await Assert.ThrowsAsync<SqliteException>(() => store.OpenAsync(TestContext.Current.CancellationToken));

        // Clearing the pool closes the connections that went back to it; one never disposed would still hold the file
        // (until a finalizer closed it).
        using (var probe = new SqliteConnection(store.ConnectionString))
        {
            SqliteConnection.ClearPool(probe);
        }

        Assert.DoesNotContain(path, Directory.EnumerateFileSystemEntries("/proc/self/fd").Select(LinkTarget));
    }

    [Fact]
    public async Task MigrateAsync_NewDatabase_UsesSixteenKibPages()
    {
        var store = (SqliteGatewayStore)await CreateStoreAsync(retainContent: false);
        await store.MigrateAsync(TestContext.Current.CancellationToken);

        Assert.Equal(16384L, Scalar(store.Path, "PRAGMA page_size"));
        Assert.Equal(SqlitePageSize.Bytes, Scalar(store.Path, "PRAGMA page_size"));
        Assert.Equal("wal", ScalarText(store.Path, "PRAGMA journal_mode"));
    }

    [Fact]
    public async Task MigrateAsync_ExistingFourKibDatabase_KeepsItsPagesAndItsRows()
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, "earlier.db"); // charter.db is the contract's own store
        Exec(path, "PRAGMA page_size=4096; PRAGMA journal_mode=WAL; CREATE TABLE earlier(x INTEGER); INSERT INTO earlier VALUES (42);");
        var store = new SqliteGatewayStore(path);

        await store.MigrateAsync(TestContext.Current.CancellationToken);
        Assert.True(await store.CreateTeamAsync(new TeamRecord { Id = "team_pages", Name = "pages", CreatedAt = DateTimeOffset.UtcNow }, TestContext.Current.CancellationToken));

        Assert.Equal(4096L, Scalar(path, "PRAGMA page_size"));
        Assert.Equal(42L, Scalar(path, "SELECT x FROM earlier"));
        Assert.Equal(1L, Scalar(path, "SELECT COUNT(*) FROM teams WHERE id = 'team_pages'"));
    }

    [Fact]
    public async Task EnsureCreatedAsync_AuditStoreCreatesTheFileFirst_GatewayStoreFindsSixteenKibPages()
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, "audit-first.db");
        await new SqliteAuditStore(path).EnsureCreatedAsync(TestContext.Current.CancellationToken);
        var store = new SqliteGatewayStore(path);

        await store.MigrateAsync(TestContext.Current.CancellationToken);

        Assert.Equal(16384L, Scalar(path, "PRAGMA page_size"));
        Assert.Equal(0L, Scalar(path, "SELECT COUNT(*) FROM audit_leaves"));
        Assert.Equal(0L, Scalar(path, "SELECT COUNT(*) FROM requests"));
    }

    private static string? LinkTarget(string fd)
    {
        try
        {
            return new FileInfo(fd).LinkTarget;
        }
        catch (IOException)
        {
            return null; // closed by another test while the list was read
        }
    }

    /// <inheritdoc/>
    protected override Task<string?> ReadMessagesSha256ColumnAsync(IGatewayStore store, string id)
    {
        using var c = new SqliteConnection($"Data Source={((SqliteGatewayStore)store).Path};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT messages_sha256 FROM requests WHERE id = $id";
        cmd.Parameters.AddWithValue("$id", id);
        return Task.FromResult(cmd.ExecuteScalar() as string);
    }

    private static long Scalar(string path, string sql)
    {
        using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string ScalarText(string path, string sql)
    {
        using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToString(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    private static List<string> Indexes(string path)
    {
        using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT name FROM pragma_index_list('requests') ORDER BY name";
        var names = new List<string>();
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            names.Add(r.GetString(0));
        }

        return names;
    }

    private static void Exec(string path, string sql)
    {
        using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
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

// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Charter.Audit.Json;
using Charter.Audit.Storage;
using Charter.Keys;
using Charter.Records;
using Microsoft.Data.Sqlite;

namespace Charter.Storage.Sqlite;

/// <summary>The gateway store on a SQLite file (WAL mode; pooled connections; one transaction per batch).</summary>
public sealed partial class SqliteGatewayStore : IGatewayStore
{
    /// <summary>Length of a stored timestamp (<see cref="UtcTimestamp"/>).</summary>
    internal const int TsLength = UtcTimestamp.Length;

    private readonly string _connectionString;
    private readonly bool _retainContent;
    private readonly string _instance;

    /// <summary>Creates a store over the SQLite file at <paramref name="path"/>.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="retainContent">Keep prompt text in request records (default: a hash only).</param>
    /// <param name="instance">The journal's instance id: journal positions are kept per instance (null: one shared set).</param>
    public SqliteGatewayStore(string path, bool retainContent = false, string? instance = null)
    {
        _instance = instance ?? string.Empty;
        _connectionString = SqliteAuditStore.SharedConnectionString(path); // one pool with the audit log's (see there)
        _retainContent = retainContent;
        Path = path;
    }

    /// <summary>The name a consumer's journal position is stored under: <c>records@instance</c>, or just <c>records</c>.</summary>
    private string ProgressName(string consumer) => _instance.Length == 0 ? consumer : consumer + "@" + _instance;

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The connection string of the store's pooled connections (for tests: a pool is found by it).</summary>
    internal string ConnectionString => _connectionString;

    /// <summary>Opens a pooled connection with the pragmas every connection needs.</summary>
    /// <remarks>The page size comes first: it only takes effect on a new, empty file (before WAL mode writes its header), and a
    /// file that already has pages keeps its own (see <see cref="SqlitePageSize"/>).</remarks>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var c = new SqliteConnection(_connectionString);
        try
        {
            await c.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var cmd = c.CreateCommand();
            cmd.CommandText = SqlitePageSize.Pragma + " PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON; PRAGMA cache_size=-16384;";
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return c;
        }
        catch
        {
            // Not left for the finalizer: an open connection that is never disposed is closed by a SafeHandle's
            // finalizer, at a time nobody chose (and when it is the file's last connection, SQLite then checkpoints and
            // deletes the WAL).
            await c.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc/>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecAsync(c, tx, "CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL)", cancellationToken).ConfigureAwait(false);
        var current = Convert.ToInt32(await ScalarAsync(c, tx, "SELECT COALESCE(MAX(version), 0) FROM schema_version", cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        for (var i = current; i < SqliteSchema.Migrations.Length; i++)
        {
            await ExecAsync(c, tx, SqliteSchema.Migrations[i], cancellationToken).ConfigureAwait(false);
            await ExecAsync(c, tx, $"INSERT INTO schema_version(version) VALUES ({i + 1})", cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<bool> CreateTeamAsync(TeamRecord team, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(team);
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "INSERT OR IGNORE INTO teams(id, name, created_at, state) VALUES ($id, $name, $at, $state); UPDATE changes SET version = version + 1 WHERE changes() > 0;";
        cmd.Parameters.AddWithValue("$id", team.Id);
        cmd.Parameters.AddWithValue("$name", team.Name);
        cmd.Parameters.AddWithValue("$at", Ts(team.CreatedAt));
        cmd.Parameters.AddWithValue("$state", team.State);
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<TeamRecord>> ListTeamsAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id, name, created_at, state FROM teams ORDER BY created_at, name";
        var list = new List<TeamRecord>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(StoreRows.Team(r, StoreRows.SqliteTime));
        }

        return list;
    }

    /// <inheritdoc/>
    public async Task<TeamRecord?> FindTeamAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id, name, created_at, state FROM teams WHERE id = $v OR name = $v LIMIT 1";
        cmd.Parameters.AddWithValue("$v", idOrName);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false) ? StoreRows.Team(r, StoreRows.SqliteTime) : null;
    }

    /// <inheritdoc/>
    public async Task CreateKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = """
            INSERT INTO api_keys(id, team_id, hash, prefix, name, purposes, default_purpose, jurisdiction, models, created_at, state, expires_at)
            VALUES ($id, $team, $hash, $prefix, $name, $purposes, $dp, $j, $models, $at, $state, $exp);
            UPDATE changes SET version = version + 1;
            """;
        cmd.Parameters.AddWithValue("$id", key.Id);
        cmd.Parameters.AddWithValue("$team", key.TeamId);
        cmd.Parameters.AddWithValue("$hash", key.Hash);
        cmd.Parameters.AddWithValue("$prefix", key.Prefix);
        cmd.Parameters.AddWithValue("$at", Ts(key.CreatedAt));
        cmd.Parameters.AddWithValue("$state", key.State);
        AddEditable(cmd, key);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = KeyColumns + " ORDER BY created_at, id";
        return await ReadKeysAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<ApiKeyRecord?> GetKeyAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = KeyColumns + " WHERE id = $id";
        cmd.Parameters.AddWithValue("$id", id);
        var list = await ReadKeysAsync(cmd, cancellationToken).ConfigureAwait(false);
        return list.Count > 0 ? list[0] : null;
    }

    /// <inheritdoc/>
    public async Task<ApiKeyRecord?> FindKeyByHashAsync(byte[] hash, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = KeyColumns + " WHERE hash = $hash OR previous_hash = $hash";
        cmd.Parameters.AddWithValue("$hash", hash);
        var list = await ReadKeysAsync(cmd, cancellationToken).ConfigureAwait(false);
        return list.Count > 0 ? list[0] : null;
    }

    /// <inheritdoc/>
    public async Task UpdateKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = """
            UPDATE api_keys SET name = $name, purposes = $purposes, default_purpose = $dp, jurisdiction = $j, models = $models, expires_at = $exp WHERE id = $id;
            UPDATE changes SET version = version + 1 WHERE changes() > 0;
            """;
        cmd.Parameters.AddWithValue("$id", key.Id);
        AddEditable(cmd, key);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<bool> RotateKeyAsync(string id, byte[] hash, string prefix, byte[]? previousHash, DateTimeOffset? previousExpiresAt,
        CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = """
            UPDATE api_keys SET hash = $hash, prefix = $prefix, previous_hash = $prev, previous_expires_at = $prevExp WHERE id = $id;
            UPDATE changes SET version = version + 1 WHERE changes() > 0;
            """;
        cmd.Parameters.AddWithValue("$id", id);
        cmd.Parameters.AddWithValue("$hash", hash);
        cmd.Parameters.AddWithValue("$prefix", prefix);
        cmd.Parameters.AddWithValue("$prev", (object?)previousHash ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$prevExp", previousExpiresAt is { } e ? Ts(e) : DBNull.Value);
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc/>
    public async Task SetEntityStateAsync(string entityType, string id, string state, string? lifecycleJson, CancellationToken cancellationToken = default)
    {
        var table = Table(entityType);
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = entityType == "account"
            ? $"INSERT INTO accounts(id, state, lifecycle) VALUES ($id, $state, $lc) ON CONFLICT(id) DO UPDATE SET state = excluded.state, lifecycle = excluded.lifecycle; UPDATE changes SET version = version + 1;"
            : $"UPDATE {table} SET state = $state, lifecycle = $lc WHERE id = $id; UPDATE changes SET version = version + 1;";
        cmd.Parameters.AddWithValue("$id", id);
        cmd.Parameters.AddWithValue("$state", state);
        cmd.Parameters.AddWithValue("$lc", (object?)lifecycleJson ?? DBNull.Value);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<string?> GetEntityLifecycleAsync(string entityType, string id, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT lifecycle FROM {Table(entityType)} WHERE id = $id";
        cmd.Parameters.AddWithValue("$id", id);
        return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    /// <inheritdoc/>
    public async Task AppendHistoryAsync(HistoryEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = """
            INSERT INTO lifecycle_history(entity_type, entity_id, at, event, from_state, to_state, actor, reason, detail)
            VALUES ($t, $id, $at, $ev, $from, $to, $actor, $reason, $detail)
            """;
        cmd.Parameters.AddWithValue("$t", entry.EntityType);
        cmd.Parameters.AddWithValue("$id", entry.EntityId);
        cmd.Parameters.AddWithValue("$at", Ts(entry.At));
        cmd.Parameters.AddWithValue("$ev", entry.Event);
        cmd.Parameters.AddWithValue("$from", (object?)entry.From ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$to", (object?)entry.To ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$actor", entry.Actor);
        cmd.Parameters.AddWithValue("$reason", (object?)entry.Reason ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$detail", (object?)entry.Detail ?? DBNull.Value);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(string entityType, string id, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT entity_type, entity_id, at, event, from_state, to_state, actor, reason, detail FROM lifecycle_history WHERE entity_type = $t AND entity_id = $id ORDER BY seq";
        cmd.Parameters.AddWithValue("$t", entityType);
        cmd.Parameters.AddWithValue("$id", id);
        var list = new List<HistoryEntry>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(StoreRows.History(r, StoreRows.SqliteTime));
        }

        return list;
    }

    /// <inheritdoc/>
    public async Task CreateAdminKeyAsync(AdminKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = """
            INSERT OR IGNORE INTO admin_keys(id, hash, role, name, created_at, created_by, expires_at)
            VALUES ($id, $hash, $role, $name, $at, $by, $exp)
            """;
        cmd.Parameters.AddWithValue("$id", key.Id);
        cmd.Parameters.AddWithValue("$hash", key.Hash);
        cmd.Parameters.AddWithValue("$role", key.Role);
        cmd.Parameters.AddWithValue("$name", (object?)key.Name ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$at", Ts(key.CreatedAt));
        cmd.Parameters.AddWithValue("$by", (object?)key.CreatedBy ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$exp", key.ExpiresAt is { } exp ? Ts(exp) : DBNull.Value);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<AdminKeyRecord?> FindAdminKeyByHashAsync(byte[] hash, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = StoreRows.AdminKeyColumns + " WHERE hash = $hash";
        cmd.Parameters.AddWithValue("$hash", hash);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false) ? StoreRows.AdminKey(r, StoreRows.SqliteTime) : null;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<AdminKeyRecord>> ListAdminKeysAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = StoreRows.AdminKeyColumns + " ORDER BY created_at, id";
        var list = new List<AdminKeyRecord>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(StoreRows.AdminKey(r, StoreRows.SqliteTime));
        }

        return list;
    }

    /// <inheritdoc/>
    public async Task<bool> RevokeAdminKeyAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = """
            UPDATE admin_keys SET revoked_at = $at WHERE id = $id AND revoked_at IS NULL;
            UPDATE changes SET version = version + 1 WHERE changes() > 0;
            """;
        cmd.Parameters.AddWithValue("$id", id);
        cmd.Parameters.AddWithValue("$at", Ts(at));
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc/>
    public async Task<long> GetChangeVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToInt64(await ScalarAsync(c, null, "SELECT version FROM changes WHERE id = 1", cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    /// <inheritdoc/>
    public async Task<JournalPosition> GetJournalPositionAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT segment, \"offset\" FROM journal_progress WHERE consumer = $c";
        cmd.Parameters.AddWithValue("$c", ProgressName("records"));
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false) ? new JournalPosition(r.GetInt64(0), r.GetInt64(1)) : default;
    }

    /// <inheritdoc/>
    public async Task<ResponseOwner?> FindResponseOwnerAsync(string responseId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(responseId);
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT team_id, account, model FROM requests WHERE response_id = $r LIMIT 1";
        cmd.Parameters.AddWithValue("$r", responseId);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new ResponseOwner(r.IsDBNull(0) ? null : r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2))
            : null;
    }

    /// <inheritdoc/>
    public async Task<long> CountRequestsAsync(string? requestId = null, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = requestId is null ? "SELECT COUNT(*) FROM requests" : "SELECT COUNT(*) FROM requests WHERE id = $id";
        if (requestId is not null)
        {
            cmd.Parameters.AddWithValue("$id", requestId);
        }

        return Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<RequestRecord>> ReadLatestRequestsAsync(int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = StoreRows.RequestColumns + " ORDER BY ts DESC, id DESC LIMIT $n";
        cmd.Parameters.AddWithValue("$n", limit);
        var list = new List<RequestRecord>(Math.Min(limit, 1024));
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(StoreRows.Request(r, StoreRows.SqliteTime));
        }

        list.Reverse();
        return list;
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<RequestRecord> ReadRequestsAsync(DateTimeOffset? from, DateTimeOffset? to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = StoreRows.RequestColumns + " WHERE ts >= $from AND ts <= $to ORDER BY ts, id";
        cmd.Parameters.AddWithValue("$from", from is { } f ? Ts(f) : "0000");
        cmd.Parameters.AddWithValue("$to", to is { } t ? Ts(t) : "9999");
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return StoreRows.Request(r, StoreRows.SqliteTime);
        }
    }

    internal static string Ts(DateTimeOffset value) => UtcTimestamp.Format(value);

    // The columns of a key that creation sets and an update changes: $name, $purposes, $dp, $j, $models, $exp.
    private static void AddEditable(SqliteCommand cmd, ApiKeyRecord key)
    {
        cmd.Parameters.AddWithValue("$name", (object?)key.Name ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$purposes", JsonSerializer.Serialize(key.Purposes, StorageJsonContext.Default.IReadOnlyListString));
        cmd.Parameters.AddWithValue("$dp", key.DefaultPurpose);
        cmd.Parameters.AddWithValue("$j", (object?)key.Jurisdiction ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$models", key.Models is null ? DBNull.Value : JsonSerializer.Serialize(key.Models, StorageJsonContext.Default.IReadOnlyListString));
        cmd.Parameters.AddWithValue("$exp", key.ExpiresAt is { } exp ? Ts(exp) : DBNull.Value);
    }

    internal static DateTimeOffset ParseTs(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private const string KeyColumns = "SELECT id, team_id, hash, prefix, name, purposes, default_purpose, jurisdiction, models, created_at, state, expires_at, previous_hash, previous_expires_at FROM api_keys";

    private static string Table(string entityType) => entityType switch
    {
        "key" => "api_keys",
        "team" => "teams",
        "account" => "accounts",
        _ => throw new ArgumentOutOfRangeException(nameof(entityType), entityType, "Expected key, team or account."),
    };

    private static async Task<List<ApiKeyRecord>> ReadKeysAsync(SqliteCommand cmd, CancellationToken cancellationToken)
    {
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await StoreRows.KeysAsync(r, StoreRows.SqliteTime, cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecAsync(SqliteConnection c, SqliteTransaction? tx, string sql, CancellationToken cancellationToken)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection c, SqliteTransaction? tx, string sql, CancellationToken cancellationToken)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Runtime.CompilerServices;
using System.Text.Json;
using Charter.Audit.Storage;
using Charter.Keys;
using Charter.Records;
using Npgsql;
using NpgsqlTypes;

namespace Charter.Storage.Postgres;

/// <summary>The gateway store on PostgreSQL: the same tables and semantics as <see cref="Sqlite.SqliteGatewayStore"/>, for several
/// gateway instances sharing one database. Timestamps are <c>timestamptz</c>, stored to the millisecond as SQLite stores them.</summary>
public sealed partial class PostgresGatewayStore : IGatewayStore, IDisposable, IAsyncDisposable
{
    private const string KeyColumns = "SELECT id, team_id, hash, prefix, name, purposes, default_purpose, jurisdiction, models, created_at, state, expires_at, previous_hash, previous_expires_at FROM api_keys";
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _retainContent;
    private readonly string _instance;

    /// <summary>Creates a store over the database named by <paramref name="database"/> (<c>postgres://…</c> URL or Npgsql connection string).</summary>
    /// <param name="database">URL or connection string.</param>
    /// <param name="retainContent">Keep prompt text in request records (default: a hash only).</param>
    /// <param name="instance">The journal's instance id: each gateway instance keeps its own journal positions (null: one shared set).</param>
    public PostgresGatewayStore(string database, bool retainContent = false, string? instance = null)
    {
        _instance = instance ?? string.Empty;
        ArgumentException.ThrowIfNullOrEmpty(database);
        ConnectionString = PostgresConnectionStrings.ToNpgsql(database);
        _dataSource = NpgsqlDataSource.Create(ConnectionString);
        _retainContent = retainContent;
    }

    /// <summary>The Npgsql connection string in use.</summary>
    public string ConnectionString { get; }

    /// <summary>The pooled data source (shared with the lifecycle store).</summary>
    public NpgsqlDataSource DataSource => _dataSource;

    /// <summary>Opens a pooled connection.</summary>
    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken = default) => _dataSource.OpenConnectionAsync(cancellationToken);

    /// <inheritdoc/>
    /// <remarks>Runs under <c>pg_advisory_xact_lock</c>, so instances starting together migrate one after the other; each numbered step
    /// runs once, in the same transaction as its row in <c>schema_version</c>.</remarks>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var cmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", c, tx))
        {
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = PostgresSchema.MigrationLockKey });
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await ExecAsync(c, tx, "CREATE TABLE IF NOT EXISTS schema_version(version integer NOT NULL)", cancellationToken).ConfigureAwait(false);
        long current;
        await using (var cmd = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_version", c, tx))
        {
            current = Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }

        for (var i = (int)current; i < PostgresSchema.Migrations.Length; i++)
        {
            await ExecAsync(c, tx, PostgresSchema.Migrations[i], cancellationToken).ConfigureAwait(false);
            await using var cmd = new NpgsqlCommand("INSERT INTO schema_version(version) VALUES ($1)", c, tx);
            cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = i + 1 });
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<bool> CreateTeamAsync(TeamRecord team, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(team);
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("INSERT INTO teams(id, name, created_at, state) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING", c, tx);
        Add(cmd, team.Id, NpgsqlDbType.Text);
        Add(cmd, team.Name, NpgsqlDbType.Text);
        Add(cmd, Ts(team.CreatedAt), NpgsqlDbType.TimestampTz);
        Add(cmd, team.State, NpgsqlDbType.Text);
        var inserted = await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        if (inserted)
        {
            await BumpAsync(c, tx, cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return inserted;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<TeamRecord>> ListTeamsAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("SELECT id, name, created_at, state FROM teams ORDER BY created_at, name COLLATE \"C\"", c);
        var list = new List<TeamRecord>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(StoreRows.Team(r, StoreRows.PostgresTime));
        }

        return list;
    }

    /// <inheritdoc/>
    public async Task<TeamRecord?> FindTeamAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("SELECT id, name, created_at, state FROM teams WHERE id = $1 OR name = $1 LIMIT 1", c);
        Add(cmd, idOrName, NpgsqlDbType.Text);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false) ? StoreRows.Team(r, StoreRows.PostgresTime) : null;
    }

    /// <inheritdoc/>
    public async Task CreateKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var cmd = new NpgsqlCommand(
            """
            INSERT INTO api_keys(id, team_id, hash, prefix, name, purposes, default_purpose, jurisdiction, models, created_at, state, expires_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            """, c, tx))
        {
            Add(cmd, key.Id, NpgsqlDbType.Text);
            Add(cmd, key.TeamId, NpgsqlDbType.Text);
            Add(cmd, key.Hash, NpgsqlDbType.Bytea);
            Add(cmd, key.Prefix, NpgsqlDbType.Text);
            Add(cmd, key.Name, NpgsqlDbType.Text);
            Add(cmd, JsonSerializer.Serialize(key.Purposes, StorageJsonContext.Default.IReadOnlyListString), NpgsqlDbType.Text);
            Add(cmd, key.DefaultPurpose, NpgsqlDbType.Text);
            Add(cmd, key.Jurisdiction, NpgsqlDbType.Text);
            Add(cmd, key.Models is null ? null : JsonSerializer.Serialize(key.Models, StorageJsonContext.Default.IReadOnlyListString), NpgsqlDbType.Text);
            Add(cmd, Ts(key.CreatedAt), NpgsqlDbType.TimestampTz);
            Add(cmd, key.State, NpgsqlDbType.Text);
            Add(cmd, key.ExpiresAt is { } exp ? Ts(exp) : null, NpgsqlDbType.TimestampTz);
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await BumpAsync(c, tx, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(KeyColumns + " ORDER BY created_at, id COLLATE \"C\"", c);
        return await ReadKeysAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<ApiKeyRecord?> GetKeyAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(KeyColumns + " WHERE id = $1", c);
        Add(cmd, id, NpgsqlDbType.Text);
        var list = await ReadKeysAsync(cmd, cancellationToken).ConfigureAwait(false);
        return list.Count > 0 ? list[0] : null;
    }

    /// <inheritdoc/>
    /// <remarks>Retried once on a dead pooled connection: this is the one read a client request can wait for (key cache miss).</remarks>
    public Task<ApiKeyRecord?> FindKeyByHashAsync(byte[] hash, CancellationToken cancellationToken = default) =>
        PostgresRetry.RunAsync(
            _dataSource,
            async (c, ct) =>
            {
                await using var cmd = new NpgsqlCommand(KeyColumns + " WHERE hash = $1 OR previous_hash = $1", c);
                Add(cmd, hash, NpgsqlDbType.Bytea);
                var list = await ReadKeysAsync(cmd, ct).ConfigureAwait(false);
                return list.Count > 0 ? list[0] : null;
            },
            cancellationToken);

    /// <inheritdoc/>
    public async Task UpdateKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await UpdateAndBumpAsync(
            "UPDATE api_keys SET name = $1, purposes = $2, default_purpose = $3, jurisdiction = $4, models = $5, expires_at = $6 WHERE id = $7",
            cmd =>
            {
                Add(cmd, key.Name, NpgsqlDbType.Text);
                Add(cmd, JsonSerializer.Serialize(key.Purposes, StorageJsonContext.Default.IReadOnlyListString), NpgsqlDbType.Text);
                Add(cmd, key.DefaultPurpose, NpgsqlDbType.Text);
                Add(cmd, key.Jurisdiction, NpgsqlDbType.Text);
                Add(cmd, key.Models is null ? null : JsonSerializer.Serialize(key.Models, StorageJsonContext.Default.IReadOnlyListString), NpgsqlDbType.Text);
                Add(cmd, key.ExpiresAt is { } exp ? Ts(exp) : null, NpgsqlDbType.TimestampTz);
                Add(cmd, key.Id, NpgsqlDbType.Text);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<bool> RotateKeyAsync(string id, byte[] hash, string prefix, byte[]? previousHash, DateTimeOffset? previousExpiresAt,
        CancellationToken cancellationToken = default)
    {
        return await UpdateAndBumpAsync(
            "UPDATE api_keys SET hash = $1, prefix = $2, previous_hash = $3, previous_expires_at = $4 WHERE id = $5",
            cmd =>
            {
                Add(cmd, hash, NpgsqlDbType.Bytea);
                Add(cmd, prefix, NpgsqlDbType.Text);
                Add(cmd, previousHash, NpgsqlDbType.Bytea);
                Add(cmd, previousExpiresAt is { } e ? Ts(e) : null, NpgsqlDbType.TimestampTz);
                Add(cmd, id, NpgsqlDbType.Text);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task SetEntityStateAsync(string entityType, string id, string state, string? lifecycleJson, CancellationToken cancellationToken = default)
    {
        var table = Table(entityType);
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var cmd = new NpgsqlCommand(
            entityType == "account"
                ? "INSERT INTO accounts(id, state, lifecycle) VALUES ($1, $2, $3) ON CONFLICT(id) DO UPDATE SET state = excluded.state, lifecycle = excluded.lifecycle"
                : $"UPDATE {table} SET state = $2, lifecycle = $3 WHERE id = $1",
            c,
            tx))
        {
            Add(cmd, id, NpgsqlDbType.Text);
            Add(cmd, state, NpgsqlDbType.Text);
            Add(cmd, lifecycleJson, NpgsqlDbType.Text);
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await BumpAsync(c, tx, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<string?> GetEntityLifecycleAsync(string entityType, string id, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"SELECT lifecycle FROM {Table(entityType)} WHERE id = $1", c);
        Add(cmd, id, NpgsqlDbType.Text);
        return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    /// <inheritdoc/>
    public async Task AppendHistoryAsync(HistoryEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(
            """
            INSERT INTO lifecycle_history(entity_type, entity_id, at, event, from_state, to_state, actor, reason, detail)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """, c);
        Add(cmd, entry.EntityType, NpgsqlDbType.Text);
        Add(cmd, entry.EntityId, NpgsqlDbType.Text);
        Add(cmd, Ts(entry.At), NpgsqlDbType.TimestampTz);
        Add(cmd, entry.Event, NpgsqlDbType.Text);
        Add(cmd, entry.From, NpgsqlDbType.Text);
        Add(cmd, entry.To, NpgsqlDbType.Text);
        Add(cmd, entry.Actor, NpgsqlDbType.Text);
        Add(cmd, entry.Reason, NpgsqlDbType.Text);
        Add(cmd, entry.Detail, NpgsqlDbType.Text);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(string entityType, string id, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(
            "SELECT entity_type, entity_id, at, event, from_state, to_state, actor, reason, detail FROM lifecycle_history WHERE entity_type = $1 AND entity_id = $2 ORDER BY seq", c);
        Add(cmd, entityType, NpgsqlDbType.Text);
        Add(cmd, id, NpgsqlDbType.Text);
        var list = new List<HistoryEntry>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(StoreRows.History(r, StoreRows.PostgresTime));
        }

        return list;
    }

    /// <inheritdoc/>
    public async Task CreateAdminKeyAsync(AdminKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(
            "INSERT INTO admin_keys(id, hash, role, name, created_at, created_by, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING", c);
        Add(cmd, key.Id, NpgsqlDbType.Text);
        Add(cmd, key.Hash, NpgsqlDbType.Bytea);
        Add(cmd, key.Role, NpgsqlDbType.Text);
        Add(cmd, key.Name, NpgsqlDbType.Text);
        Add(cmd, Ts(key.CreatedAt), NpgsqlDbType.TimestampTz);
        Add(cmd, key.CreatedBy, NpgsqlDbType.Text);
        Add(cmd, key.ExpiresAt is { } exp ? Ts(exp) : null, NpgsqlDbType.TimestampTz);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<AdminKeyRecord?> FindAdminKeyByHashAsync(byte[] hash, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(StoreRows.AdminKeyColumns + " WHERE hash = $1", c);
        Add(cmd, hash, NpgsqlDbType.Bytea);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false) ? StoreRows.AdminKey(r, StoreRows.PostgresTime) : null;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<AdminKeyRecord>> ListAdminKeysAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(StoreRows.AdminKeyColumns + " ORDER BY created_at, id COLLATE \"C\"", c);
        var list = new List<AdminKeyRecord>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(StoreRows.AdminKey(r, StoreRows.PostgresTime));
        }

        return list;
    }

    /// <inheritdoc/>
    public async Task<bool> RevokeAdminKeyAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        return await UpdateAndBumpAsync(
            "UPDATE admin_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
            cmd =>
            {
                Add(cmd, Ts(at), NpgsqlDbType.TimestampTz);
                Add(cmd, id, NpgsqlDbType.Text);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task<long> GetChangeVersionAsync(CancellationToken cancellationToken = default) =>
        PostgresRetry.RunAsync(
            _dataSource,
            async (c, ct) =>
            {
                await using var cmd = new NpgsqlCommand("SELECT version FROM changes WHERE id = 1", c);
                return (long)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
            },
            cancellationToken);

    /// <inheritdoc/>
    public async Task<JournalPosition> GetJournalPositionAsync(CancellationToken cancellationToken = default) =>
        await GetConsumerPositionAsync(RecordsConsumer, cancellationToken).ConfigureAwait(false) ?? default;

    /// <inheritdoc/>
    public async Task<ResponseOwner?> FindResponseOwnerAsync(string responseId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(responseId);
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("SELECT team_id, account, model FROM requests WHERE response_id = $1 LIMIT 1", c);
        Add(cmd, responseId, NpgsqlDbType.Text);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new ResponseOwner(r.IsDBNull(0) ? null : r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2))
            : null;
    }

    /// <inheritdoc/>
    public async Task<long> CountRequestsAsync(string? requestId = null, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(requestId is null ? "SELECT COUNT(*) FROM requests" : "SELECT COUNT(*) FROM requests WHERE id = $1", c);
        if (requestId is not null)
        {
            Add(cmd, requestId, NpgsqlDbType.Text);
        }

        return (long)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<RequestRecord>> ReadLatestRequestsAsync(int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(StoreRows.RequestColumns + " ORDER BY ts DESC, id COLLATE \"C\" DESC LIMIT $1", c);
        Add(cmd, limit, NpgsqlDbType.Integer);
        var list = new List<RequestRecord>(Math.Min(limit, 1024));
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(StoreRows.Request(r, StoreRows.PostgresTime));
        }

        list.Reverse();
        return list;
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<RequestRecord> ReadRequestsAsync(DateTimeOffset? from, DateTimeOffset? to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(
            StoreRows.RequestColumns + " WHERE ($1::timestamptz IS NULL OR ts >= $1) AND ($2::timestamptz IS NULL OR ts <= $2) ORDER BY ts, id COLLATE \"C\"", c);
        Add(cmd, from is { } f ? Ts(f) : null, NpgsqlDbType.TimestampTz);
        Add(cmd, to is { } t ? Ts(t) : null, NpgsqlDbType.TimestampTz);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return StoreRows.Request(r, StoreRows.PostgresTime);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _dataSource.Dispose();

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <summary>Truncates to the millisecond in UTC, as the SQLite store's text timestamps do.</summary>
    internal static DateTimeOffset Ts(DateTimeOffset value)
    {
        var ticks = value.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }

    internal static void Add(NpgsqlCommand cmd, object? value, NpgsqlDbType type) =>
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = type, Value = value ?? DBNull.Value });

    // One UPDATE and, when it changed a row, the change version, in one transaction; true when a row changed.
    private async Task<bool> UpdateAndBumpAsync(string sql, Action<NpgsqlCommand> bind, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        int changed;
        await using (var cmd = new NpgsqlCommand(sql, c, tx))
        {
            bind(cmd);
            changed = await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (changed > 0)
        {
            await BumpAsync(c, tx, cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return changed > 0;
    }

    internal static async Task BumpAsync(NpgsqlConnection c, NpgsqlTransaction tx, CancellationToken cancellationToken) =>
        await ExecAsync(c, tx, "UPDATE changes SET version = version + 1 WHERE id = 1", cancellationToken).ConfigureAwait(false);

    internal static string Table(string entityType) => entityType switch
    {
        "key" => "api_keys",
        "team" => "teams",
        "account" => "accounts",
        _ => throw new ArgumentOutOfRangeException(nameof(entityType), entityType, "Expected key, team or account."),
    };

    private static async Task<List<ApiKeyRecord>> ReadKeysAsync(NpgsqlCommand cmd, CancellationToken cancellationToken)
    {
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await StoreRows.KeysAsync(r, StoreRows.PostgresTime, cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecAsync(NpgsqlConnection c, NpgsqlTransaction? tx, string sql, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(sql, c, tx);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Data.Common;
using System.Text.Json;
using Charter.Keys;
using Charter.Records;

namespace Charter.Storage;

/// <summary>Row → record mapping shared by the SQLite and PostgreSQL stores: both select the same columns in the same order;
/// only timestamps differ (ISO text in SQLite, <c>timestamptz</c> in PostgreSQL), hence the <see cref="TimeReader"/>.</summary>
internal static class StoreRows
{
    /// <summary>Reads the timestamp in column <c>i</c>.</summary>
    public delegate DateTimeOffset TimeReader(DbDataReader reader, int i);

    /// <summary>SQLite keeps UTC timestamps as ISO 8601 text.</summary>
    public static readonly TimeReader SqliteTime = static (r, i) => Sqlite.SqliteGatewayStore.ParseTs(r.GetString(i));

    /// <summary>PostgreSQL returns <c>timestamptz</c> as a UTC <see cref="DateTimeOffset"/>.</summary>
    public static readonly TimeReader PostgresTime = static (r, i) => r.GetFieldValue<DateTimeOffset>(i);

    /// <summary>Text or null.</summary>
    public static string? Text(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    /// <summary><c>id, name, created_at, state</c>.</summary>
    public static TeamRecord Team(DbDataReader r, TimeReader time) => new()
    {
        Id = r.GetString(0),
        Name = r.GetString(1),
        CreatedAt = time(r, 2),
        State = r.GetString(3),
    };

    /// <summary><c>id, team_id, hash, prefix, name, purposes, default_purpose, jurisdiction, models, created_at, state, expires_at,
    /// previous_hash, previous_expires_at</c>.</summary>
    public static ApiKeyRecord Key(DbDataReader r, TimeReader time) => new()
    {
        Id = r.GetString(0),
        TeamId = r.GetString(1),
        Hash = (byte[])r.GetValue(2),
        Prefix = r.GetString(3),
        Name = Text(r, 4),
        Purposes = JsonSerializer.Deserialize(r.GetString(5), StorageJsonContext.Default.IReadOnlyListString) ?? [],
        DefaultPurpose = r.GetString(6),
        Jurisdiction = Text(r, 7),
        Models = r.IsDBNull(8) ? null : JsonSerializer.Deserialize(r.GetString(8), StorageJsonContext.Default.IReadOnlyListString),
        CreatedAt = time(r, 9),
        State = r.GetString(10),
        ExpiresAt = r.IsDBNull(11) ? null : time(r, 11),
        PreviousHash = r.IsDBNull(12) ? null : (byte[])r.GetValue(12),
        PreviousExpiresAt = r.IsDBNull(13) ? null : time(r, 13),
    };

    /// <summary>Every key the reader returns.</summary>
    public static async Task<List<ApiKeyRecord>> KeysAsync(DbDataReader r, TimeReader time, CancellationToken cancellationToken)
    {
        var list = new List<ApiKeyRecord>();
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(Key(r, time));
        }

        return list;
    }

    /// <summary><c>entity_type, entity_id, at, event, from_state, to_state, actor, reason, detail</c>.</summary>
    public static HistoryEntry History(DbDataReader r, TimeReader time) => new()
    {
        EntityType = r.GetString(0),
        EntityId = r.GetString(1),
        At = time(r, 2),
        Event = r.GetString(3),
        From = Text(r, 4),
        To = Text(r, 5),
        Actor = r.GetString(6),
        Reason = Text(r, 7),
        Detail = Text(r, 8),
    };

    /// <summary>The columns <see cref="AdminKey"/> reads, in its order.</summary>
    public const string AdminKeyColumns = "SELECT id, hash, role, name, created_at, created_by, expires_at, revoked_at FROM admin_keys";

    /// <summary><c>id, hash, role, name, created_at, created_by, expires_at, revoked_at</c>.</summary>
    public static AdminKeyRecord AdminKey(DbDataReader r, TimeReader time) => new()
    {
        Id = r.GetString(0),
        Hash = (byte[])r.GetValue(1),
        Role = r.GetString(2),
        Name = Text(r, 3),
        CreatedAt = time(r, 4),
        CreatedBy = Text(r, 5),
        ExpiresAt = r.IsDBNull(6) ? null : time(r, 6),
        RevokedAt = r.IsDBNull(7) ? null : time(r, 7),
    };

    /// <summary>The columns <see cref="Request"/> reads, in its order.</summary>
    public const string RequestColumns = """
        SELECT id, ts, key_id, team_id, provider, account, model, purpose, endpoint, request, prompt_tokens, completion_tokens,
               estimated, status, error_code, latency_ms, decision, rule, eval_run, policy_version, cost_nanos, first_token_ms,
               response_id
        FROM requests
        """;

    /// <summary><c>id, ts, key_id, team_id, provider, account, model, purpose, endpoint, request, prompt_tokens, completion_tokens,
    /// estimated, status, error_code, latency_ms, decision, rule, eval_run, policy_version, cost_nanos, first_token_ms,
    /// response_id</c>.</summary>
    public static RequestRecord Request(DbDataReader r, TimeReader time) => new()
    {
        Id = r.GetString(0),
        Ts = time(r, 1),
        Key = Text(r, 2),
        Team = Text(r, 3),
        Provider = Text(r, 4),
        Account = Text(r, 5),
        Model = Text(r, 6),
        Purpose = Text(r, 7),
        Endpoint = Text(r, 8),
        RequestJson = Text(r, 9),
        PromptTokens = r.IsDBNull(10) ? null : r.GetInt32(10),
        CompletionTokens = r.IsDBNull(11) ? null : r.GetInt32(11),
        Estimated = r.GetBoolean(12),
        Status = r.IsDBNull(13) ? null : r.GetInt32(13),
        ErrorCode = Text(r, 14),
        LatencyMs = r.IsDBNull(15) ? null : r.GetDouble(15),
        Decision = Text(r, 16),
        Rule = Text(r, 17),
        EvalRun = Text(r, 18),
        PolicyVersion = Text(r, 19),
        CostNanos = r.IsDBNull(20) ? null : r.GetInt64(20),
        FirstTokenMs = r.IsDBNull(21) ? null : r.GetDouble(21),
        ResponseId = Text(r, 22),
    };
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Keys;
using Charter.Records;

namespace Charter.Storage;

/// <summary>Durable state of the gateway: teams, keys, admin keys, lifecycle and request records.</summary>
/// <remarks>Implemented for SQLite and PostgreSQL in Charter.Storage; nothing here is called on the request path
/// except the key lookup on a cache miss.</remarks>
public interface IGatewayStore
{
    /// <summary>Creates or upgrades the schema.</summary>
    Task MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a team; false when the name is taken.</summary>
    Task<bool> CreateTeamAsync(TeamRecord team, CancellationToken cancellationToken = default);

    /// <summary>Lists teams.</summary>
    Task<IReadOnlyList<TeamRecord>> ListTeamsAsync(CancellationToken cancellationToken = default);

    /// <summary>Finds a team by id or name.</summary>
    Task<TeamRecord?> FindTeamAsync(string idOrName, CancellationToken cancellationToken = default);

    /// <summary>Adds a key.</summary>
    Task CreateKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken = default);

    /// <summary>Lists keys (never with secrets).</summary>
    Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(CancellationToken cancellationToken = default);

    /// <summary>Finds a key by id.</summary>
    Task<ApiKeyRecord?> GetKeyAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Finds a key by the SHA-256 of its secret, or of its previous secret while a rotation's grace period keeps it.</summary>
    Task<ApiKeyRecord?> FindKeyByHashAsync(byte[] hash, CancellationToken cancellationToken = default);

    /// <summary>Stores a key's name, purposes, default purpose, jurisdiction, model allow-list and expiry (not its secret or
    /// state); bumps the change version.</summary>
    Task UpdateKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken = default);

    /// <summary>Gives a key a new secret (its hash and prefix) and keeps the old one's hash until <paramref name="previousExpiresAt"/>
    /// (null: the old secret stops at once); bumps the change version. False when there is no such key.</summary>
    Task<bool> RotateKeyAsync(string id, byte[] hash, string prefix, byte[]? previousHash, DateTimeOffset? previousExpiresAt,
        CancellationToken cancellationToken = default);

    /// <summary>Sets an entity's state column (<c>key</c>, <c>team</c> or <c>account</c>) and its lifecycle JSON; bumps the change version.</summary>
    Task SetEntityStateAsync(string entityType, string id, string state, string? lifecycleJson, CancellationToken cancellationToken = default);

    /// <summary>Reads an entity's lifecycle JSON.</summary>
    Task<string?> GetEntityLifecycleAsync(string entityType, string id, CancellationToken cancellationToken = default);

    /// <summary>Appends a lifecycle history entry.</summary>
    Task AppendHistoryAsync(HistoryEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Reads an entity's lifecycle history, oldest first.</summary>
    Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(string entityType, string id, CancellationToken cancellationToken = default);

    /// <summary>Adds an admin key.</summary>
    Task CreateAdminKeyAsync(AdminKeyRecord key, CancellationToken cancellationToken = default);

    /// <summary>Finds an admin key by hash (revoked and expired ones too: the caller decides).</summary>
    Task<AdminKeyRecord?> FindAdminKeyByHashAsync(byte[] hash, CancellationToken cancellationToken = default);

    /// <summary>Lists the stored admin keys (never secrets), oldest first.</summary>
    Task<IReadOnlyList<AdminKeyRecord>> ListAdminKeysAsync(CancellationToken cancellationToken = default);

    /// <summary>Marks an admin key revoked at <paramref name="at"/> and bumps the change version; false when there is no such key
    /// or it was revoked already.</summary>
    Task<bool> RevokeAdminKeyAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>A number that grows whenever keys, teams or lifecycle states change (for cache invalidation).</summary>
    Task<long> GetChangeVersionAsync(CancellationToken cancellationToken = default);

    /// <summary>Integrates journal events into request records and moves the journal position, in one transaction.</summary>
    Task IntegrateAsync(IReadOnlyList<JournalEvent> events, JournalPosition position, CancellationToken cancellationToken = default);

    /// <summary>The journal position integrated so far.</summary>
    Task<JournalPosition> GetJournalPositionAsync(CancellationToken cancellationToken = default);

    /// <summary>The journal position a named consumer (e.g. <c>audit</c>) has durably consumed, or null.</summary>
    Task<JournalPosition?> GetConsumerPositionAsync(string consumer, CancellationToken cancellationToken = default);

    /// <summary>Stores a consumer's journal position.</summary>
    Task SetConsumerPositionAsync(string consumer, JournalPosition position, CancellationToken cancellationToken = default);

    /// <summary>The newest <paramref name="limit"/> request records, returned oldest first (read through the time index: the
    /// cost follows the limit, not the table).</summary>
    Task<IReadOnlyList<RequestRecord>> ReadLatestRequestsAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>Streams request records in time order.</summary>
    IAsyncEnumerable<RequestRecord> ReadRequestsAsync(DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken = default);

    /// <summary>The team and account of the request whose Responses API answer had the id <paramref name="responseId"/>
    /// (null when no record has it).</summary>
    Task<ResponseOwner?> FindResponseOwnerAsync(string responseId, CancellationToken cancellationToken = default);

    /// <summary>Counts request records (optionally one request id).</summary>
    Task<long> CountRequestsAsync(string? requestId = null, CancellationToken cancellationToken = default);
}

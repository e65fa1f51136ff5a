// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Keys;
using Charter.Records;
using Charter.Storage;

namespace Charter.Benchmarks.Gateway;

/// <summary>A store that holds nothing: the benchmarks measure the cache path, which never reaches the store.</summary>
internal sealed class BenchStore : IGatewayStore
{
    public Task MigrateAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<bool> CreateTeamAsync(TeamRecord team, CancellationToken cancellationToken = default) => Task.FromResult(true);

    public Task<IReadOnlyList<TeamRecord>> ListTeamsAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<TeamRecord>>([]);

    public Task<TeamRecord?> FindTeamAsync(string idOrName, CancellationToken cancellationToken = default) => Task.FromResult<TeamRecord?>(null);

    public Task CreateKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<ApiKeyRecord>>([]);

    public Task<ApiKeyRecord?> GetKeyAsync(string id, CancellationToken cancellationToken = default) => Task.FromResult<ApiKeyRecord?>(null);

    public Task<ApiKeyRecord?> FindKeyByHashAsync(byte[] hash, CancellationToken cancellationToken = default) => Task.FromResult<ApiKeyRecord?>(null);

    public Task SetEntityStateAsync(string entityType, string id, string state, string? lifecycleJson, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<string?> GetEntityLifecycleAsync(string entityType, string id, CancellationToken cancellationToken = default) => Task.FromResult<string?>(null);

    public Task AppendHistoryAsync(HistoryEntry entry, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(string entityType, string id, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<HistoryEntry>>([]);

    public Task CreateAdminKeyAsync(AdminKeyRecord key, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<AdminKeyRecord?> FindAdminKeyByHashAsync(byte[] hash, CancellationToken cancellationToken = default) => Task.FromResult<AdminKeyRecord?>(null);

    public Task<IReadOnlyList<AdminKeyRecord>> ListAdminKeysAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<AdminKeyRecord>>([]);

    public Task UpdateKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<bool> RotateKeyAsync(string id, byte[] hash, string prefix, byte[]? previousHash, DateTimeOffset? previousExpiresAt,
        CancellationToken cancellationToken = default) => Task.FromResult(false);

    public Task<bool> RevokeAdminKeyAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default) => Task.FromResult(false);

    public Task<IReadOnlyList<RequestRecord>> ReadLatestRequestsAsync(int limit, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<RequestRecord>>([]);

    public Task<long> GetChangeVersionAsync(CancellationToken cancellationToken = default) => Task.FromResult(0L);

    public Task IntegrateAsync(IReadOnlyList<JournalEvent> events, JournalPosition position, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<JournalPosition> GetJournalPositionAsync(CancellationToken cancellationToken = default) => Task.FromResult(default(JournalPosition));

    public Task<JournalPosition?> GetConsumerPositionAsync(string consumer, CancellationToken cancellationToken = default) => Task.FromResult<JournalPosition?>(null);

    public Task SetConsumerPositionAsync(string consumer, JournalPosition position, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public async IAsyncEnumerable<RequestRecord> ReadRequestsAsync(DateTimeOffset? from, DateTimeOffset? to, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        yield break;
    }

    public Task<long> CountRequestsAsync(string? requestId = null, CancellationToken cancellationToken = default) => Task.FromResult(0L);

    public Task<ResponseOwner?> FindResponseOwnerAsync(string responseId, CancellationToken cancellationToken = default) => Task.FromResult<ResponseOwner?>(null);
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Charter.Storage;

namespace Charter.Keys;

/// <summary>In-memory cache of keys and teams: a hash lookup and a constant-time compare per request, no database.</summary>
/// <remarks>
/// A miss goes to the database once (a key made by another instance or the CLI) and unknown hashes are remembered for
/// a few seconds, so a flood of bad keys cannot turn into a flood of queries. <see cref="KeyRefreshService"/> reloads
/// when the store's change version moves (every instance within about a second; sooner with Redis pub/sub).
/// </remarks>
public sealed class KeyRegistry
{
    private static readonly long s_negativeTtl = Stopwatch.Frequency * 5;
    private readonly IGatewayStore _store;
    private ConcurrentDictionary<KeyHash, ApiKeyRecord> _byHash = new();
    private ConcurrentDictionary<string, TeamRecord> _teams = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<KeyHash, long> _negative = new();

    // Counts this process's own changes (Upsert). A reload whose read began before one of them can miss it (a key revoked
    // here would be served again until the next reload), so such a reload is dropped and the next tick reads again.
    private readonly Lock _gate = new();
    private long _localChanges;

    /// <summary>Creates a registry over <paramref name="store"/>.</summary>
    public KeyRegistry(IGatewayStore store) => _store = store;

    /// <summary>The change version last loaded.</summary>
    public long Version { get; private set; } = -1;

    /// <summary>Looks up the key presented as a bearer secret; null when unknown.</summary>
    public ValueTask<ApiKeyRecord?> AuthenticateAsync(ReadOnlySpan<char> secret)
    {
        if (secret.Length is < 8 or > 256)
        {
            return ValueTask.FromResult<ApiKeyRecord?>(null);
        }

        Span<byte> digest = stackalloc byte[32];
        KeySecrets.Hash(secret, digest);
        var hash = KeyHash.From(digest);
        if (_byHash.TryGetValue(hash, out var key))
        {
            return ValueTask.FromResult(CryptographicOperations.FixedTimeEquals(key.Hash, digest) ? key : null);
        }

        if (_negative.TryGetValue(hash, out var until) && until > Stopwatch.GetTimestamp())
        {
            return ValueTask.FromResult<ApiKeyRecord?>(null);
        }

        return MissAsync(hash, digest.ToArray());
    }

    /// <summary>Gets a team by id from the cache.</summary>
    public TeamRecord? Team(string id) => _teams.TryGetValue(id, out var t) ? t : null;

    /// <summary>Reloads every key and team from the store.</summary>
    /// <returns>False when a change made in this process while the store was read made the result stale (not applied; the
    /// version stays unseen so that the next refresh reads again).</returns>
    public async Task<bool> ReloadAsync(CancellationToken cancellationToken = default)
    {
        var seen = Interlocked.Read(ref _localChanges);
        var version = await _store.GetChangeVersionAsync(cancellationToken).ConfigureAwait(false);
        var keys = await _store.ListKeysAsync(cancellationToken).ConfigureAwait(false);
        var teams = await _store.ListTeamsAsync(cancellationToken).ConfigureAwait(false);
        var byHash = new ConcurrentDictionary<KeyHash, ApiKeyRecord>();
        foreach (var k in keys)
        {
            Put(byHash, k);
        }

        var byTeam = new ConcurrentDictionary<string, TeamRecord>(StringComparer.Ordinal);
        foreach (var t in teams)
        {
            byTeam[t.Id] = t;
        }

        lock (_gate)
        {
            if (_localChanges != seen)
            {
                return false;
            }

            _byHash = byHash;
            _teams = byTeam;
            _negative.Clear();
            Version = version;
            return true;
        }
    }

    /// <summary>Puts a key into the cache (after this instance created or changed it); a secret the key no longer has (after
    /// a rotation) stops being accepted at once.</summary>
    public void Upsert(ApiKeyRecord key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            _localChanges++;
            foreach (var (hash, cached) in _byHash)
            {
                if (cached.Id == key.Id)
                {
                    _byHash.TryRemove(hash, out _);
                }
            }

            Put(_byHash, key);
            _negative.TryRemove(KeyHash.From(key.Hash), out _);
        }
    }

    /// <summary>Puts a team into the cache.</summary>
    public void Upsert(TeamRecord team)
    {
        ArgumentNullException.ThrowIfNull(team);
        lock (_gate)
        {
            _localChanges++;
            _teams[team.Id] = team;
        }
    }

    private static void Put(ConcurrentDictionary<KeyHash, ApiKeyRecord> byHash, ApiKeyRecord key)
    {
        byHash[KeyHash.From(key.Hash)] = key;
        if (key.PreviousHash is { } previous)
        {
            byHash[KeyHash.From(previous)] = key.AsPreviousSecret();
        }
    }

    private async ValueTask<ApiKeyRecord?> MissAsync(KeyHash hash, byte[] digest)
    {
        var found = await _store.FindKeyByHashAsync(digest).ConfigureAwait(false);
        var key = found is null ? null
            : CryptographicOperations.FixedTimeEquals(found.Hash, digest) ? found
            : found.PreviousHash is { } previous && CryptographicOperations.FixedTimeEquals(previous, digest) ? found.AsPreviousSecret()
            : null;
        if (key is null)
        {
            _negative[hash] = Stopwatch.GetTimestamp() + s_negativeTtl;
            return null;
        }

        _byHash[hash] = key;
        if (!_teams.ContainsKey(key.TeamId) && await _store.FindTeamAsync(key.TeamId).ConfigureAwait(false) is { } team)
        {
            _teams[team.Id] = team;
        }

        return key;
    }
}

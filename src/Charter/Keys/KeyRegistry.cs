// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Charter.Storage;

namespace Charter.Keys;

/// <summary>In-memory cache of keys and teams: a hash lookup and a constant-time compare per request, no database.</summary>
/// <remarks>
/// A miss goes to the database once (a key made by another instance or the CLI) and unknown hashes are remembered for
/// a few seconds, so a flood of bad keys cannot turn into a flood of queries. Two bounds hold under a flood of distinct
/// bad keys: at most <see cref="MaxConcurrentMisses"/> lookups are in the database at once (requests presenting the same
/// secret share one; a miss beyond that is answered as unknown without a query, and not remembered), and the memory of
/// unknown hashes is bounded (expired ones are dropped when it is full, all of them if none has expired).
/// <see cref="KeyRefreshService"/> reloads when the store's change version moves (every instance within about a second;
/// sooner with Redis pub/sub), so a key made elsewhere is served from the cache soon even when its first request found
/// the lookups busy.
/// </remarks>
public sealed class KeyRegistry
{
    /// <summary>Most database lookups of unknown keys in flight at once.</summary>
    public const int MaxConcurrentMisses = 4;

    private static readonly long s_negativeTtl = Stopwatch.Frequency * 5;
    private readonly IGatewayStore _store;
    private readonly int _maxUnknown;
    private readonly ConcurrentDictionary<KeyHash, Task<ApiKeyRecord?>> _lookups = new();
    private int _missesInFlight;
    private ConcurrentDictionary<KeyHash, ApiKeyRecord> _byHash = new();
    private ConcurrentDictionary<string, TeamRecord> _teams = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<KeyHash, long> _negative = new();

    // Counts this process's own changes (Upsert). A reload whose read began before one of them can miss it (a key revoked
    // here would be served again until the next reload), so such a reload is dropped and the next tick reads again.
    private readonly Lock _gate = new();
    private long _localChanges;

    /// <summary>Creates a registry over <paramref name="store"/>, remembering at most <paramref name="maxUnknown"/> unknown hashes.</summary>
    public KeyRegistry(IGatewayStore store, int maxUnknown = 65_536)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxUnknown);
        _store = store;
        _maxUnknown = maxUnknown;
    }

    /// <summary>How many unknown hashes are remembered now.</summary>
    public int UnknownCount => _negative.Count;

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

        // Requests presenting the same unknown secret at once share one lookup (a burst with a key just made elsewhere).
        if (_lookups.TryGetValue(hash, out var pending))
        {
            return new ValueTask<ApiKeyRecord?>(pending);
        }

        if (Interlocked.Increment(ref _missesInFlight) > MaxConcurrentMisses)
        {
            Interlocked.Decrement(ref _missesInFlight);
            return ValueTask.FromResult<ApiKeyRecord?>(null);
        }

        var lookup = new TaskCompletionSource<ApiKeyRecord?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var shared = _lookups.GetOrAdd(hash, lookup.Task);
        if (shared != lookup.Task)
        {
            Interlocked.Decrement(ref _missesInFlight);
            return new ValueTask<ApiKeyRecord?>(shared);
        }

        _ = LookUpAsync(hash, digest.ToArray(), lookup);
        return new ValueTask<ApiKeyRecord?>(lookup.Task);
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

    private async Task LookUpAsync(KeyHash hash, byte[] digest, TaskCompletionSource<ApiKeyRecord?> lookup)
    {
        try
        {
            lookup.SetResult(await MissAsync(hash, digest).ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            lookup.SetException(ex);
        }
        finally
        {
            _lookups.TryRemove(hash, out _);
            Interlocked.Decrement(ref _missesInFlight);
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
            RememberUnknown(hash);
            return null;
        }

        _byHash[hash] = key;
        if (!_teams.ContainsKey(key.TeamId) && await _store.FindTeamAsync(key.TeamId).ConfigureAwait(false) is { } team)
        {
            _teams[team.Id] = team;
        }

        return key;
    }

    private void RememberUnknown(KeyHash hash)
    {
        var now = Stopwatch.GetTimestamp();
        if (_negative.Count >= _maxUnknown)
        {
            foreach (var (h, until) in _negative)
            {
                if (until <= now)
                {
                    _negative.TryRemove(h, out _);
                }
            }

            if (_negative.Count >= _maxUnknown)
            {
                _negative.Clear();
            }
        }

        _negative[hash] = now + s_negativeTtl;
    }
}

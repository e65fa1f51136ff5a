// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Collections.Concurrent;
using System.Security.Cryptography;
using Charter.Keys;
using Charter.Storage;
using Microsoft.AspNetCore.Http;

namespace Charter.Admin;

/// <summary>Authenticates admin keys (never user keys): the bootstrap key from <c>CHARTER_ADMIN_KEY</c> and stored admin keys.</summary>
/// <remarks>
/// Stored keys are cached by hash. A key revoked here is dropped from the cache at once (<see cref="Forget"/>); one revoked
/// through another instance or the CLI bumps the store's change version, and the cache is emptied when the key registry has
/// loaded that version (within the registry's poll, ~0.5 s; sooner with Redis notifications). Expiry is checked on every call.
/// At most <see cref="KeyRegistry.MaxConcurrentMisses"/> keys not in the cache are looked up in the database at once; a
/// caller past that is refused as unknown.
/// </remarks>
public sealed class AdminAuthenticator
{
    private readonly byte[]? _bootstrapHash;
    private readonly IGatewayStore _store;
    private readonly KeyRegistry? _registry;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<KeyHash, AdminKeyRecord> _cache = new();
    private long _cacheVersion = long.MinValue;
    private int _lookupsInFlight;

    /// <summary>Creates the authenticator; <paramref name="bootstrapKey"/> comes from the environment.</summary>
    public AdminAuthenticator(IGatewayStore store, string? bootstrapKey, KeyRegistry? registry = null, TimeProvider? time = null)
    {
        _store = store;
        _registry = registry;
        _time = time ?? TimeProvider.System;
        _bootstrapHash = string.IsNullOrEmpty(bootstrapKey) ? null : KeySecrets.Hash(bootstrapKey);
    }

    /// <summary>The id the bootstrap key acts under.</summary>
    public const string BootstrapId = "bootstrap";

    /// <summary>Resolves the caller or null.</summary>
    public async ValueTask<AdminPrincipal?> AuthenticateAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length > 300)
        {
            return null;
        }

        var digest = new byte[32];
        KeySecrets.Hash(header.AsSpan(7).Trim(), digest);
        if (_bootstrapHash is not null && CryptographicOperations.FixedTimeEquals(digest, _bootstrapHash))
        {
            return new AdminPrincipal(BootstrapId, "admin");
        }

        if (_registry is { } registry && registry.Version != Interlocked.Read(ref _cacheVersion))
        {
            // Something changed in the store (possibly a revocation elsewhere): read every admin key again when next used.
            _cache.Clear();
            Interlocked.Exchange(ref _cacheVersion, registry.Version);
        }

        var h = KeyHash.From(digest);
        if (!_cache.TryGetValue(h, out var stored))
        {
            // As for user keys: a flood of made-up admin keys gets at most a few database lookups at a time.
            if (Interlocked.Increment(ref _lookupsInFlight) > KeyRegistry.MaxConcurrentMisses)
            {
                Interlocked.Decrement(ref _lookupsInFlight);
                return null;
            }

            try
            {
                stored = await _store.FindAdminKeyByHashAsync(digest, context.RequestAborted).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _lookupsInFlight);
            }

            if (stored is not null && stored.RevokedAt is null)
            {
                _cache[h] = stored;
            }
        }

        return stored is not null && CryptographicOperations.FixedTimeEquals(stored.Hash, digest) && stored.IsUsable(_time.GetUtcNow())
            ? new AdminPrincipal(stored.Id, stored.Role)
            : null;
    }

    /// <summary>Drops a key from the cache (after it was revoked here).</summary>
    public void Forget(byte[] hash) => _cache.TryRemove(KeyHash.From(hash), out _);
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Collections.Concurrent;
using System.Security.Cryptography;
using Charter.Keys;
using Charter.Storage;
using Microsoft.AspNetCore.Http;

namespace Charter.Admin;

/// <summary>Authenticates admin keys (never user keys): the bootstrap key from <c>CHARTER_ADMIN_KEY</c> and stored admin keys.</summary>
public sealed class AdminAuthenticator
{
    private readonly byte[]? _bootstrapHash;
    private readonly IGatewayStore _store;
    private readonly ConcurrentDictionary<KeyHash, AdminPrincipal?> _cache = new();

    /// <summary>Creates the authenticator; <paramref name="bootstrapKey"/> comes from the environment.</summary>
    public AdminAuthenticator(IGatewayStore store, string? bootstrapKey)
    {
        _store = store;
        _bootstrapHash = string.IsNullOrEmpty(bootstrapKey) ? null : KeySecrets.Hash(bootstrapKey);
    }

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
            return new AdminPrincipal("bootstrap", "admin");
        }

        var h = KeyHash.From(digest);
        if (_cache.TryGetValue(h, out var cached))
        {
            return cached;
        }

        var stored = await _store.FindAdminKeyByHashAsync(digest, context.RequestAborted).ConfigureAwait(false);
        var principal = stored is not null && CryptographicOperations.FixedTimeEquals(stored.Hash, digest) ? new AdminPrincipal(stored.Id, stored.Role) : null;
        if (principal is not null)
        {
            _cache[h] = principal;
        }

        return principal;
    }
}

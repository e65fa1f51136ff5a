// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Keys;

/// <summary>An admin API key; separate from user keys, with a role.</summary>
public sealed record AdminKeyRecord
{
    /// <summary>Public id.</summary>
    public required string Id { get; init; }

    /// <summary>SHA-256 of the secret.</summary>
    public required byte[] Hash { get; init; }

    /// <summary><c>admin</c> (read/write) or <c>auditor</c> (read-only).</summary>
    public required string Role { get; init; }

    /// <summary>Display name.</summary>
    public string? Name { get; init; }

    /// <summary>Creation time.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Who created it (an admin key id, <c>bootstrap</c> or <c>cli</c>); null for keys made before this was kept.</summary>
    public string? CreatedBy { get; init; }

    /// <summary>When it stops being accepted; null for never.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>When it was revoked; null while it is not.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>True when the key is accepted at <paramref name="now"/>: not revoked and not expired.</summary>
    public bool IsUsable(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is not { } e || now < e);
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Keys;

/// <summary>A user key as stored: the secret itself is never kept, only its SHA-256.</summary>
public sealed record ApiKeyRecord
{
    /// <summary>Public id (<c>key_…</c>), safe to log.</summary>
    public required string Id { get; init; }

    /// <summary>Owning team id.</summary>
    public required string TeamId { get; init; }

    /// <summary>SHA-256 of the secret.</summary>
    public required byte[] Hash { get; init; }

    /// <summary>First characters of the secret, for people to recognise it.</summary>
    public required string Prefix { get; init; }

    /// <summary>Purposes this key may declare.</summary>
    public required IReadOnlyList<string> Purposes { get; init; }

    /// <summary>Purpose used when a request declares none.</summary>
    public required string DefaultPurpose { get; init; }

    /// <summary>ISO country code of the key's users, when known.</summary>
    public string? Jurisdiction { get; init; }

    /// <summary>Models this key may use; null allows every model.</summary>
    public IReadOnlyList<string>? Models { get; init; }

    /// <summary>Optional display name.</summary>
    public string? Name { get; init; }

    /// <summary>Creation time.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Lifecycle state (<c>active</c>, <c>revoked</c>, …).</summary>
    public string State { get; init; } = "active";

    /// <summary>When the key stops being accepted (a 401 from then on, whatever its state); null for never.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>True when the key has an expiry at or before <paramref name="now"/>.</summary>
    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } e && e <= now;

    /// <summary>SHA-256 of the secret this key had before its last rotation, while that secret is still accepted; else null.</summary>
    public byte[]? PreviousHash { get; init; }

    /// <summary>Until when the previous secret is accepted (the rotation's grace period).</summary>
    public DateTimeOffset? PreviousExpiresAt { get; init; }

    /// <summary>True when this is the key as presented with its previous secret (<see cref="AsPreviousSecret"/>).</summary>
    public bool IsPreviousSecret => PreviousHash is not null && ReferenceEquals(Hash, PreviousHash);

    /// <summary>True when this expiry is the end of a rotation's grace period (not the key's own expiry, which may be earlier).</summary>
    public bool ExpiresWithRotationGrace => IsPreviousSecret && PreviousExpiresAt == ExpiresAt;

    /// <summary>The key as presented with its previous secret: the same key, that secret's hash, and the earlier of the two
    /// expiries (so the request path's expiry check ends the grace period).</summary>
    public ApiKeyRecord AsPreviousSecret() => this with
    {
        Hash = PreviousHash ?? throw new InvalidOperationException("The key has no previous secret."),
        ExpiresAt = ExpiresAt is { } e && (PreviousExpiresAt is not { } p || e < p) ? e : PreviousExpiresAt,
    };
}

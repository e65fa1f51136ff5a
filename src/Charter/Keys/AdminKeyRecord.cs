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
}

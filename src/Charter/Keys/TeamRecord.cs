// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Keys;

/// <summary>A team: the unit that owns keys, budgets and a lifecycle.</summary>
public sealed record TeamRecord
{
    /// <summary>Public id (<c>team_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Unique name.</summary>
    public required string Name { get; init; }

    /// <summary>Creation time.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Lifecycle state.</summary>
    public string State { get; init; } = "active";
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy;

/// <summary>The outcome of a reload: applied, unchanged, or rejected with every error (the last good policy stays in force).</summary>
public sealed record PolicyReloadResult
{
    /// <summary>True when the directory loaded without errors.</summary>
    public required bool Succeeded { get; init; }

    /// <summary>True when a new version is now in force.</summary>
    public required bool Changed { get; init; }

    /// <summary>The version in force after the reload.</summary>
    public required string Version { get; init; }

    /// <summary>The version in force before the reload.</summary>
    public required string PreviousVersion { get; init; }

    /// <summary>Every error found when the reload was rejected.</summary>
    public IReadOnlyList<PolicyError> Errors { get; init; } = [];

    /// <summary>When the reload ran.</summary>
    public required DateTimeOffset At { get; init; }
}

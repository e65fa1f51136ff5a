// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy;

/// <summary>The result of loading a policy set: the compiled set, or every error found.</summary>
public sealed record PolicyLoadResult
{
    /// <summary>The compiled set when loading succeeded.</summary>
    public PolicySet? Set { get; init; }

    /// <summary>Every error found (empty on success).</summary>
    public IReadOnlyList<PolicyError> Errors { get; init; } = [];

    /// <summary>True when <see cref="Set"/> is present and there are no errors.</summary>
    public bool Succeeded => Set is not null && Errors.Count == 0;
}

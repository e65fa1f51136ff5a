// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy;

/// <summary>The answer to "would this request be allowed, and why": the decision and every rule or term that matched.</summary>
public sealed record PolicyExplanation
{
    /// <summary>The version (content hash) of the policy set that decided.</summary>
    public required string PolicyVersion { get; init; }

    /// <summary>The decision, identical to <see cref="PolicySet.Decide"/>.</summary>
    public required PolicyDecision Decision { get; init; }

    /// <summary>Every match in evaluation order (purpose, terms, rules, default).</summary>
    public required IReadOnlyList<PolicyMatch> Matches { get; init; }

    /// <summary>The provider terms documents that applied to the request (id and source).</summary>
    public required IReadOnlyList<string> AppliedTerms { get; init; }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy.Compilation;

/// <summary>A provider parameter limit with its denial precomputed.</summary>
internal sealed class CompiledLimit
{
    public required string Id { get; init; }

    /// <summary>Indexed by purpose id; null when the limit applies to every purpose.</summary>
    public bool[]? PurposeMask { get; init; }

    public int MaxN { get; init; } = int.MaxValue;

    public int MaxTokens { get; init; } = int.MaxValue;

    public bool LogprobsAllowed { get; init; } = true;

    public int MaxTopLogprobs { get; init; } = int.MaxValue;

    public int MaxLogitBias { get; init; } = int.MaxValue;

    public required PolicyDecision Deny { get; init; }

    /// <summary>True when the request breaks this limit. Allocation-free.</summary>
    public bool IsViolated(int purposeId, in PolicyRequest r)
    {
        if (PurposeMask is not null && (purposeId < 0 || !PurposeMask[purposeId]))
        {
            return false;
        }

        return r.EffectiveN > MaxN
            || (r.MaxTokens is { } mt && mt > MaxTokens)
            || (r.Logprobs && !LogprobsAllowed)
            || r.TopLogprobs > MaxTopLogprobs
            || r.LogitBiasCount > MaxLogitBias;
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Accounting;

/// <summary>What an admitted request holds until it completes: pass it back to <see cref="IRateLimiter.CompleteAsync"/>.</summary>
/// <remarks>A default lease (<see cref="IsActive"/> false) is a no-op to complete.</remarks>
public readonly struct LimitLease
{
    /// <summary>Creates an active lease (for <see cref="ILimitStore"/> implementations).</summary>
    public LimitLease(AdmissionRequest request, long bucket, long leaseId, bool keyConcurrency, bool teamConcurrency, bool local)
    {
        KeyId = request.KeyId;
        TeamId = request.TeamId;
        EstimatedTokens = request.EstimatedTokens;
        Bucket = bucket;
        LeaseId = leaseId;
        HoldsKeyConcurrency = keyConcurrency;
        HoldsTeamConcurrency = teamConcurrency;
        IsLocal = local;
        IsActive = true;
    }

    /// <summary>The key the lease was admitted for.</summary>
    public string? KeyId { get; }

    /// <summary>The team the lease was admitted for, if any.</summary>
    public string? TeamId { get; }

    /// <summary>Tokens charged at admission; the difference to the real usage is reconciled on completion.</summary>
    public long EstimatedTokens { get; }

    /// <summary>True for a lease that holds something to give back.</summary>
    public bool IsActive { get; }

    /// <summary>True when the in-process store admitted it (directly or as the Redis fallback).</summary>
    public bool IsLocal { get; }

    /// <summary>The window bucket the estimate was charged to.</summary>
    public long Bucket { get; }

    /// <summary>Store-specific lease number (identifies the concurrency slot).</summary>
    public long LeaseId { get; }

    /// <summary>True when the lease holds one of the key's concurrency slots.</summary>
    public bool HoldsKeyConcurrency { get; }

    /// <summary>True when the lease holds one of the team's concurrency slots.</summary>
    public bool HoldsTeamConcurrency { get; }
}

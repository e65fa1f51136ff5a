// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Accounting;

/// <summary>A place where limit counters live: this process (<c>LocalLimitStore</c>) or Redis (shared by every instance).</summary>
/// <remarks>
/// A store checks every limit of the key and its team and charges all of them atomically, or none.
/// Stores report an unreachable backend as <see cref="LimitKind.Unavailable"/>, never by throwing;
/// <see cref="IRateLimiter"/> applies the failure policy on top.
/// </remarks>
public interface ILimitStore
{
    /// <summary>Checks and, when everything fits, charges one request and its estimated tokens.</summary>
    public ValueTask<LimitDecision> TryAcquireAsync(AdmissionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Reconciles the token estimate with <paramref name="actualTokens"/>, adds the spend, releases concurrency.</summary>
    /// <returns>False when the backend could not be reached (the counters were not updated).</returns>
    public ValueTask<bool> CompleteAsync(LimitLease lease, long actualTokens, long costNanoUsd, CancellationToken cancellationToken = default);
}

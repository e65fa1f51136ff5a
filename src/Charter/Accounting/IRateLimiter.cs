// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Accounting;

/// <summary>Admits requests against per-key and per-team limits and budgets; the gateway's single entry point.</summary>
/// <remarks>
/// <code>
/// var est = estimator.EstimateChat(bodyUtf8);                       // prompt + max_tokens * n
/// var d = await limiter.AcquireAsync(new(key.Id, key.Limits, team?.Id, team?.Limits, est.AdmissionTokens), ct);
/// if (!d.Allowed) { 429 + retry-after + d.Headers; budget hold if d.IsBudget }
/// d.Headers.WriteTo(response.Headers);
/// try { forward } finally { await limiter.CompleteAsync(d.Lease, usage.TotalTokens, priceTable.CostNanoUsd(model, usage)); }
/// </code>
/// Complete every admitted lease exactly once, also on failure (with the tokens actually used, possibly 0),
/// otherwise its concurrency slot stays taken (in Redis until <c>limits.concurrency_lease_seconds</c> expires it).
/// </remarks>
public interface IRateLimiter
{
    /// <summary>Admits or refuses one request.</summary>
    public ValueTask<LimitDecision> AcquireAsync(AdmissionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Completes an admitted request: real tokens, spend in nano-dollars, concurrency released.</summary>
    public ValueTask CompleteAsync(LimitLease lease, long actualTokens, long costNanoUsd, CancellationToken cancellationToken = default);
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Accounting;

/// <summary>The outcome of admitting a request: allowed (with a lease to give back) or limited (with why and when to retry).</summary>
/// <remarks>
/// Map a limited decision to HTTP 429 with <c>retry-after: RetryAfterSeconds</c> and the <see cref="Headers"/>;
/// use error code <c>charter_budget_exceeded</c> when <see cref="IsBudget"/> is true, <c>rate_limit_exceeded</c> otherwise.
/// <see cref="LimitKind.Unavailable"/> (Redis down under fail_closed) is best mapped to 503 with the same retry-after.
/// </remarks>
public readonly record struct LimitDecision
{
    /// <summary>True when the request may proceed; complete <see cref="Lease"/> afterwards.</summary>
    public bool Allowed { get; init; }

    /// <summary>The limit that refused the request (<see cref="LimitKind.None"/> when allowed).</summary>
    public LimitKind Limit { get; init; }

    /// <summary>Whose limit refused the request.</summary>
    public LimitScope Scope { get; init; }

    /// <summary>How long until the request would fit (zero when allowed).</summary>
    public TimeSpan RetryAfter { get; init; }

    /// <summary>The x-ratelimit-* values (written on success and on 429 alike).</summary>
    public RateLimitHeaders Headers { get; init; }

    /// <summary>What the admitted request holds; default when limited.</summary>
    public LimitLease Lease { get; init; }

    /// <summary>True when a spend budget (day or month) refused the request.</summary>
    public bool IsBudget => Limit is LimitKind.DailyBudget or LimitKind.MonthlyBudget;

    /// <summary>The retry-after header value: whole seconds, rounded up, at least 1 (0 when allowed).</summary>
    public int RetryAfterSeconds => Allowed ? 0 : (int)Math.Clamp(Math.Ceiling(RetryAfter.TotalSeconds), 1, int.MaxValue);

    /// <summary>An admitted decision.</summary>
    public static LimitDecision Admit(in LimitLease lease, in RateLimitHeaders headers) =>
        new() { Allowed = true, Lease = lease, Headers = headers };

    /// <summary>A refused decision.</summary>
    public static LimitDecision Deny(LimitKind limit, LimitScope scope, TimeSpan retryAfter, in RateLimitHeaders headers) =>
        new() { Allowed = false, Limit = limit, Scope = scope, RetryAfter = retryAfter, Headers = headers };

    /// <summary>The store could not be reached (the failure policy decides what happens next).</summary>
    public static LimitDecision Unavailable(TimeSpan retryAfter) =>
        new() { Allowed = false, Limit = LimitKind.Unavailable, RetryAfter = retryAfter };
}

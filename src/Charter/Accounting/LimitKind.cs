// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Accounting;

/// <summary>Which limit a request ran into, or <see cref="None"/> when it was admitted.</summary>
public enum LimitKind
{
    /// <summary>No limit was hit.</summary>
    None = 0,

    /// <summary>Requests per minute (sliding window).</summary>
    RequestsPerMinute = 1,

    /// <summary>Tokens per minute (sliding window, charged on the estimate, reconciled with real usage).</summary>
    TokensPerMinute = 2,

    /// <summary>Requests in flight at the same time.</summary>
    ConcurrentRequests = 3,

    /// <summary>Spend budget for the current UTC day.</summary>
    DailyBudget = 4,

    /// <summary>Spend budget for the current UTC month.</summary>
    MonthlyBudget = 5,

    /// <summary>The shared limit store (Redis) could not be reached and the failure policy refused the request.</summary>
    Unavailable = 6,
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Accounting;

/// <summary>What <see cref="BudgetHolds.ReviewAsync"/> found and did.</summary>
public enum BudgetHoldReview
{
    /// <summary>The key or team has no budget hold (or is banned or revoked): nothing to do.</summary>
    NotHeld = 0,

    /// <summary>A budget is still spent: the hold stays.</summary>
    StillSpent = 1,

    /// <summary>Every budget allows spending again: the hold was cleared.</summary>
    Cleared = 2,

    /// <summary>The spend could not be read (e.g. Redis unreachable) or the transition failed: the hold stays, retried later.</summary>
    Unknown = 3,
}

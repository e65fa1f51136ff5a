// Copyright (c) Charter contributors. Licensed under the MIT License.

using Microsoft.Extensions.Configuration;

namespace Charter.Accounting;

/// <summary>The limits of one key or one team; zero means "no limit" for every field.</summary>
/// <remarks>
/// Instances are immutable once built and are meant to be cached next to the key or team they belong to,
/// so admitting a request passes a reference and allocates nothing.
/// </remarks>
public sealed record LimitSet
{
    private readonly decimal _dailyBudgetUsd;
    private readonly long _dailyBudgetNanoUsd;
    private readonly decimal _monthlyBudgetUsd;
    private readonly long _monthlyBudgetNanoUsd;

    /// <summary>A set without any limit.</summary>
    public static LimitSet Unlimited { get; } = new();

    /// <summary>Requests admitted in any 60-second sliding window (0 = unlimited).</summary>
    [ConfigurationKeyName("requests_per_minute")]
    public long RequestsPerMinute { get; init; }

    /// <summary>Tokens (prompt + completion) in any 60-second sliding window (0 = unlimited).</summary>
    [ConfigurationKeyName("tokens_per_minute")]
    public long TokensPerMinute { get; init; }

    /// <summary>Requests in flight at once (0 = unlimited).</summary>
    [ConfigurationKeyName("max_concurrent_requests")]
    public int MaxConcurrentRequests { get; init; }

    /// <summary>Spend allowed per UTC day in US dollars (0 = unlimited).</summary>
    [ConfigurationKeyName("daily_budget_usd")]
    public decimal DailyBudgetUsd
    {
        get => _dailyBudgetUsd;
        init
        {
            _dailyBudgetUsd = value;
            _dailyBudgetNanoUsd = Money.ToNanoUsd(value);
        }
    }

    /// <summary>Spend allowed per UTC calendar month in US dollars (0 = unlimited).</summary>
    [ConfigurationKeyName("monthly_budget_usd")]
    public decimal MonthlyBudgetUsd
    {
        get => _monthlyBudgetUsd;
        init
        {
            _monthlyBudgetUsd = value;
            _monthlyBudgetNanoUsd = Money.ToNanoUsd(value);
        }
    }

    /// <summary>The daily budget in nano-dollars, the unit of the spend counters (computed once, not per request).</summary>
    public long DailyBudgetNanoUsd => _dailyBudgetNanoUsd;

    /// <summary>The monthly budget in nano-dollars, the unit of the spend counters.</summary>
    public long MonthlyBudgetNanoUsd => _monthlyBudgetNanoUsd;

    /// <summary>True when no field sets a limit.</summary>
    public bool IsUnlimited => RequestsPerMinute <= 0 && TokensPerMinute <= 0 && MaxConcurrentRequests <= 0
        && DailyBudgetUsd <= 0 && MonthlyBudgetUsd <= 0;
}

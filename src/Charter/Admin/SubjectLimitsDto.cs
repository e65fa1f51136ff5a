// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Admin;

/// <summary>The limits in force for a key or team, what it spent in the current periods, and whether it has the budget hold.</summary>
/// <param name="Kind"><c>key</c> or <c>team</c>.</param>
/// <param name="Id">The key or team id.</param>
/// <param name="Own">True when an admin set limits for it; false when the configured defaults apply.</param>
/// <param name="RequestsPerMinute">0 = no limit.</param>
/// <param name="TokensPerMinute">0 = no limit.</param>
/// <param name="MaxConcurrentRequests">0 = no limit.</param>
/// <param name="DailyBudgetUsd">0 = no limit.</param>
/// <param name="MonthlyBudgetUsd">0 = no limit.</param>
/// <param name="SpentTodayUsd">Spend in the current UTC day (null when the limit store cannot be read).</param>
/// <param name="SpentThisMonthUsd">Spend in the current UTC month (null when the limit store cannot be read).</param>
/// <param name="BudgetHold">True when the key or team has the <c>budget</c> lifecycle hold.</param>
public sealed record SubjectLimitsDto(string Kind, string Id, bool Own, long RequestsPerMinute, long TokensPerMinute, int MaxConcurrentRequests,
    decimal DailyBudgetUsd, decimal MonthlyBudgetUsd, decimal? SpentTodayUsd, decimal? SpentThisMonthUsd, bool BudgetHold);

// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Admin;

/// <summary>Body of <c>PUT /admin/v1/{keys|teams}/{id}/limits</c>: the fields to change (an absent field keeps its current value;
/// 0 means no limit). <c>reset: true</c> returns the key or team to the configured defaults.</summary>
public sealed record LimitsUpdateRequest(long? RequestsPerMinute, long? TokensPerMinute, int? MaxConcurrentRequests, decimal? DailyBudgetUsd,
    decimal? MonthlyBudgetUsd, bool? Reset);

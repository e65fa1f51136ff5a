// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Accounting;

namespace Charter.Storage;

/// <summary>One row of <c>limit_overrides</c>: the limits an admin gave one key or team. A null field has no own value and
/// follows <c>limits.key_defaults</c> / <c>limits.team_defaults</c> (the admin API always writes every field; the CLI writes
/// only the fields it is given).</summary>
/// <param name="Scope">Key or team.</param>
/// <param name="Id">Key id or team id.</param>
/// <param name="RequestsPerMinute">Requests per 60-second window (0 = no limit), or null for the default.</param>
/// <param name="TokensPerMinute">Tokens per 60-second window (0 = no limit), or null for the default.</param>
/// <param name="MaxConcurrentRequests">Requests in flight at once (0 = no limit), or null for the default.</param>
/// <param name="DailyBudgetUsd">USD per UTC day (0 = no limit), or null for the default.</param>
/// <param name="MonthlyBudgetUsd">USD per UTC month (0 = no limit), or null for the default.</param>
/// <param name="UpdatedAt">When the row was last written (set by the store).</param>
public sealed record OwnLimits(LimitScope Scope, string Id, long? RequestsPerMinute = null, long? TokensPerMinute = null,
    int? MaxConcurrentRequests = null, decimal? DailyBudgetUsd = null, decimal? MonthlyBudgetUsd = null, DateTimeOffset UpdatedAt = default)
{
    /// <summary>Every field of <paramref name="limits"/> as an own value.</summary>
    public static OwnLimits From(LimitScope scope, string id, LimitSet limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return new OwnLimits(scope, id, limits.RequestsPerMinute, limits.TokensPerMinute, limits.MaxConcurrentRequests,
            limits.DailyBudgetUsd, limits.MonthlyBudgetUsd);
    }

    /// <summary>The effective limits: each own value, else the field of <paramref name="defaults"/>.</summary>
    public LimitSet Resolve(LimitSet defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        return new LimitSet
        {
            RequestsPerMinute = RequestsPerMinute ?? defaults.RequestsPerMinute,
            TokensPerMinute = TokensPerMinute ?? defaults.TokensPerMinute,
            MaxConcurrentRequests = MaxConcurrentRequests ?? defaults.MaxConcurrentRequests,
            DailyBudgetUsd = DailyBudgetUsd ?? defaults.DailyBudgetUsd,
            MonthlyBudgetUsd = MonthlyBudgetUsd ?? defaults.MonthlyBudgetUsd,
        };
    }

    /// <summary>This row with the non-null fields of <paramref name="change"/> written over it.</summary>
    public OwnLimits Merge(OwnLimits change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return this with
        {
            RequestsPerMinute = change.RequestsPerMinute ?? RequestsPerMinute,
            TokensPerMinute = change.TokensPerMinute ?? TokensPerMinute,
            MaxConcurrentRequests = change.MaxConcurrentRequests ?? MaxConcurrentRequests,
            DailyBudgetUsd = change.DailyBudgetUsd ?? DailyBudgetUsd,
            MonthlyBudgetUsd = change.MonthlyBudgetUsd ?? MonthlyBudgetUsd,
        };
    }
}

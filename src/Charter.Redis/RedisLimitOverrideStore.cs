// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;
using Charter.Accounting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Charter.Redis;

/// <summary>The limits an admin gave one key or team, in one Redis hash shared by every instance.</summary>
/// <remarks>
/// Hash <c>{prefix}limits</c>, field <c>k:&lt;key id&gt;</c> or <c>t:&lt;team id&gt;</c>, value
/// <c>requests_per_minute|tokens_per_minute|max_concurrent_requests|daily_budget_usd|monthly_budget_usd</c> (invariant culture),
/// no expiry. Durable only as far as the Redis server persists its data.
/// </remarks>
internal sealed class RedisLimitOverrideStore : ILimitOverrideStore
{
    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKey _hash;

    public RedisLimitOverrideStore(IConnectionMultiplexer redis, IOptions<LimitsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(options);
        _redis = redis;
        _hash = options.Value.RedisKeyPrefix + "limits";
    }

    public async ValueTask<bool> SaveAsync(LimitScope scope, string id, LimitSet? limits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        try
        {
            var db = _redis.GetDatabase();
            if (limits is null)
            {
                await db.HashDeleteAsync(_hash, Field(scope, id)).ConfigureAwait(false);
            }
            else
            {
                await db.HashSetAsync(_hash, Field(scope, id), Format(limits)).ConfigureAwait(false);
            }

            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return false;
        }
    }

    public async ValueTask<LimitSet?> LoadAsync(LimitScope scope, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var value = await _redis.GetDatabase().HashGetAsync(_hash, Field(scope, id)).ConfigureAwait(false);
        return value.IsNullOrEmpty ? null : Parse(value.ToString());
    }

    public async ValueTask<IReadOnlyList<(LimitScope Scope, string Id, LimitSet Limits)>> LoadAllAsync(CancellationToken cancellationToken = default)
    {
        var entries = await _redis.GetDatabase().HashGetAllAsync(_hash).ConfigureAwait(false);
        var list = new List<(LimitScope, string, LimitSet)>(entries.Length);
        foreach (var e in entries)
        {
            var field = e.Name.ToString();
            if (field.Length < 3 || field[1] != ':' || Parse(e.Value.ToString()) is not { } limits)
            {
                continue;
            }

            list.Add((field[0] == 't' ? LimitScope.Team : LimitScope.Key, field[2..], limits));
        }

        return list;
    }

    internal static string Format(LimitSet limits) => string.Join('|',
        limits.RequestsPerMinute.ToString(CultureInfo.InvariantCulture),
        limits.TokensPerMinute.ToString(CultureInfo.InvariantCulture),
        limits.MaxConcurrentRequests.ToString(CultureInfo.InvariantCulture),
        limits.DailyBudgetUsd.ToString(CultureInfo.InvariantCulture),
        limits.MonthlyBudgetUsd.ToString(CultureInfo.InvariantCulture));

    internal static LimitSet? Parse(string value)
    {
        var parts = value.Split('|');
        var c = CultureInfo.InvariantCulture;
        if (parts.Length != 5
            || !long.TryParse(parts[0], NumberStyles.Integer, c, out var rpm)
            || !long.TryParse(parts[1], NumberStyles.Integer, c, out var tpm)
            || !int.TryParse(parts[2], NumberStyles.Integer, c, out var concurrent)
            || !decimal.TryParse(parts[3], NumberStyles.Number, c, out var daily)
            || !decimal.TryParse(parts[4], NumberStyles.Number, c, out var monthly))
        {
            return null;
        }

        return new LimitSet { RequestsPerMinute = rpm, TokensPerMinute = tpm, MaxConcurrentRequests = concurrent, DailyBudgetUsd = daily, MonthlyBudgetUsd = monthly };
    }

    private static RedisValue Field(LimitScope scope, string id) => (scope == LimitScope.Team ? "t:" : "k:") + id;
}

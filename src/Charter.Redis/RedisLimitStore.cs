// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;
using Charter.Accounting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Charter.Redis;

/// <summary>Limit counters shared by every gateway instance, kept in Redis and changed only by Lua scripts.</summary>
/// <remarks>
/// Same semantics as the in-process store (sliding window of sub-buckets, concurrency, UTC day and month budgets),
/// so a limit of N per minute admits N across all instances. Time comes from this instance's <see cref="TimeProvider"/>:
/// instance clocks must agree to well under a bucket (1 s), which NTP gives.
/// An unreachable Redis (not connected, timeout, connection error) is reported as <see cref="LimitKind.Unavailable"/>.
/// </remarks>
internal sealed partial class RedisLimitStore : ILimitStore, IBudgetSpendReader
{
    private const long DayTtlSeconds = 2 * 86_400;
    private const long MonthTtlSeconds = 32 * 86_400;

    private readonly IConnectionMultiplexer _redis;
    private readonly TimeProvider _time;
    private readonly ILogger<RedisLimitStore> _logger;
    private readonly string _prefix;
    private readonly int _buckets;
    private readonly long _bucketMs;
    private readonly long _leaseMs;
    private readonly TimeSpan _timeout;
    private readonly string _instance = Guid.NewGuid().ToString("N")[..12];
    private long _nextLeaseId;

    public RedisLimitStore(IConnectionMultiplexer redis, IOptions<LimitsOptions> options, TimeProvider time, ILogger<RedisLimitStore> logger)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _redis = redis;
        _time = time;
        _logger = logger;
        var o = options.Value;
        _prefix = o.RedisKeyPrefix;
        _buckets = Math.Max(1, o.WindowBuckets);
        _bucketMs = o.BucketMilliseconds;
        _leaseMs = o.ConcurrencyLeaseSeconds * 1000L;
        _timeout = TimeSpan.FromMilliseconds(Math.Max(1, o.RedisTimeoutMs));
    }

    public async ValueTask<LimitDecision> TryAcquireAsync(AdmissionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request.KeyId);
        ArgumentNullException.ThrowIfNull(request.KeyLimits);
        if (!_redis.IsConnected)
        {
            return LimitDecision.Unavailable(TimeSpan.FromSeconds(1));
        }

        var now = _time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var day = BudgetPeriods.DayIndex(nowMs);
        var month = BudgetPeriods.MonthIndex(now);
        var hasTeam = request.TeamId is not null;
        var teamLimits = request.TeamLimits ?? LimitSet.Unlimited;
        var keys = new RedisKey[hasTeam ? 8 : 4];
        FillKeys(keys, 0, "k:", request.KeyId, day, month);
        if (hasTeam)
        {
            FillKeys(keys, 4, "t:", request.TeamId!, day, month);
        }

        var leaseId = Interlocked.Increment(ref _nextLeaseId);
        var estimate = Math.Max(0, request.EstimatedTokens);
        var args = new RedisValue[hasTeam ? 18 : 13];
        args[0] = nowMs;
        args[1] = _bucketMs;
        args[2] = _buckets;
        args[3] = Member(leaseId);
        args[4] = nowMs + _leaseMs;
        args[5] = estimate;
        args[6] = (long)Math.Ceiling(BudgetPeriods.UntilDayEnd(nowMs).TotalMilliseconds);
        args[7] = (long)Math.Ceiling(BudgetPeriods.UntilMonthEnd(now).TotalMilliseconds);
        FillLimits(args, 8, request.KeyLimits);
        if (hasTeam)
        {
            FillLimits(args, 13, teamLimits);
        }

        long[] r;
        try
        {
            var result = await _redis.GetDatabase().ScriptEvaluateAsync(RedisLimitScripts.Acquire, keys, args)
                .WaitAsync(_timeout, cancellationToken).ConfigureAwait(false);
            r = (long[])result!;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Log.AcquireFailed(_logger, ex);
            return LimitDecision.Unavailable(TimeSpan.FromSeconds(1));
        }

        var keyHeaders = Headers(request.KeyLimits, r, 6);
        var status = (LimitKind)r[0];
        if (status != LimitKind.None)
        {
            var scope = r[1] == 0 ? LimitScope.Key : LimitScope.Team;
            var headers = scope == LimitScope.Key ? keyHeaders : Headers(teamLimits, r, 10);
            return LimitDecision.Deny(status, scope, TimeSpan.FromMilliseconds(Math.Max(0, r[2])), headers);
        }

        var lease = new LimitLease(request, r[3], leaseId, r[4] == 1, r[5] == 1, local: false);
        return LimitDecision.Admit(lease, hasTeam ? RateLimitHeaders.Pick(keyHeaders, Headers(teamLimits, r, 10)) : keyHeaders);
    }

    public async ValueTask<bool> CompleteAsync(LimitLease lease, long actualTokens, long costNanoUsd, CancellationToken cancellationToken = default)
    {
        if (!lease.IsActive || lease.KeyId is null)
        {
            return true;
        }

        if (!_redis.IsConnected)
        {
            return false;
        }

        var now = _time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var day = BudgetPeriods.DayIndex(nowMs);
        var month = BudgetPeriods.MonthIndex(now);
        var hasTeam = lease.TeamId is not null;
        var keys = new RedisKey[hasTeam ? 8 : 4];
        FillKeys(keys, 0, "k:", lease.KeyId, day, month);
        if (hasTeam)
        {
            FillKeys(keys, 4, "t:", lease.TeamId!, day, month);
        }

        RedisValue[] args =
        [
            nowMs, _bucketMs, _buckets, Member(lease.LeaseId), lease.Bucket,
            Math.Max(0, actualTokens) - lease.EstimatedTokens, Math.Max(0, costNanoUsd), DayTtlSeconds, MonthTtlSeconds,
            lease.HoldsKeyConcurrency ? "1" : "0", lease.HoldsTeamConcurrency ? "1" : "0",
        ];
        try
        {
            await _redis.GetDatabase().ScriptEvaluateAsync(RedisLimitScripts.Complete, keys, args)
                .WaitAsync(_timeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Log.CompleteFailed(_logger, ex);
            return false;
        }
    }

    /// <summary>Spend recorded in Redis for a key or team in the current UTC day and month, in nano-dollars.</summary>
    public async ValueTask<(long Day, long Month)> GetSpendAsync(LimitScope scope, string id)
    {
        var now = _time.GetUtcNow();
        var keys = new RedisKey[4];
        FillKeys(keys, 0, scope == LimitScope.Key ? "k:" : "t:", id, BudgetPeriods.DayIndex(now.ToUnixTimeMilliseconds()), BudgetPeriods.MonthIndex(now));
        var db = _redis.GetDatabase();
        var dayValue = await db.StringGetAsync(keys[2]).ConfigureAwait(false);
        var monthValue = await db.StringGetAsync(keys[3]).ConfigureAwait(false);
        return ((long?)dayValue ?? 0, (long?)monthValue ?? 0);
    }

    private static RateLimitHeaders Headers(LimitSet limits, long[] r, int offset)
    {
        var usedRequests = Math.Max(0, r[offset]);
        var usedTokens = Math.Max(0, r[offset + 1]);
        var rpm = limits.RequestsPerMinute;
        var tpm = limits.TokensPerMinute;
        return new RateLimitHeaders(
            rpm, Math.Max(0, rpm - usedRequests), TimeSpan.FromMilliseconds(Math.Max(0, r[offset + 2])),
            tpm, Math.Max(0, tpm - usedTokens), TimeSpan.FromMilliseconds(Math.Max(0, r[offset + 3])));
    }

    private static void FillLimits(RedisValue[] args, int offset, LimitSet limits)
    {
        args[offset] = Math.Max(0, limits.RequestsPerMinute);
        args[offset + 1] = Math.Max(0, limits.TokensPerMinute);
        args[offset + 2] = Math.Max(0, limits.MaxConcurrentRequests);
        args[offset + 3] = limits.DailyBudgetNanoUsd;
        args[offset + 4] = limits.MonthlyBudgetNanoUsd;
    }

    private void FillKeys(RedisKey[] keys, int offset, string scope, string id, long day, long month)
    {
        var subject = string.Concat(_prefix, "l:", scope, id);
        keys[offset] = subject + ":w";
        keys[offset + 1] = subject + ":c";
        keys[offset + 2] = string.Concat(subject, ":d:", day.ToString(CultureInfo.InvariantCulture));
        keys[offset + 3] = string.Concat(subject, ":m:", month.ToString(CultureInfo.InvariantCulture));
    }

    private string Member(long leaseId) => string.Concat(_instance, ":", leaseId.ToString(CultureInfo.InvariantCulture));
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Charter.Accounting;

/// <summary>In-process limit counters: exact for one instance, allocation-free once a subject has been seen.</summary>
/// <remarks>
/// Per-minute limits use a sliding window of <see cref="LimitsOptions.WindowBuckets"/> sub-buckets (1 s by default):
/// no more than the limit is admitted in any window of that many buckets. Admission locks the key's state, then the
/// team's (always in that order, so no deadlock), checks everything, and charges both or neither.
/// Cost: two dictionary look-ups, two uncontended locks and a scan of 2 x 60 slots per request.
/// </remarks>
internal sealed class LocalLimitStore : ILimitStore, IBudgetSpendReader
{
    private readonly ConcurrentDictionary<string, LocalSubjectState> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LocalSubjectState> _teams = new(StringComparer.Ordinal);
    private readonly Func<string, int, LocalSubjectState> _factory = static (_, n) => new LocalSubjectState(n);
    private readonly TimeProvider _time;
    private readonly int _buckets;
    private readonly long _bucketMs;
    private long _nextLeaseId;

    public LocalLimitStore(IOptions<LimitsOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _buckets = Math.Max(1, options.Value.WindowBuckets);
        _bucketMs = options.Value.BucketMilliseconds;
    }

    public ValueTask<LimitDecision> TryAcquireAsync(AdmissionRequest request, CancellationToken cancellationToken = default) =>
        new(TryAcquire(request));

    public ValueTask<bool> CompleteAsync(LimitLease lease, long actualTokens, long costNanoUsd, CancellationToken cancellationToken = default)
    {
        Complete(lease, actualTokens, costNanoUsd);
        return new(true);
    }

    public ValueTask<(long Day, long Month)> GetSpendAsync(LimitScope scope, string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var states = scope == LimitScope.Team ? _teams : _keys;
        if (!states.TryGetValue(id, out var state))
        {
            return new((0, 0));
        }

        var now = _time.GetUtcNow();
        var day = BudgetPeriods.DayIndex(now.ToUnixTimeMilliseconds());
        var month = BudgetPeriods.MonthIndex(now);
        using (state.Gate.EnterScope())
        {
            return new((state.DaySpent(day), state.MonthSpent(month)));
        }
    }

    /// <summary>Synchronous admission (the store never waits).</summary>
    public LimitDecision TryAcquire(in AdmissionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request.KeyId);
        ArgumentNullException.ThrowIfNull(request.KeyLimits);
        var keyState = _keys.GetOrAdd(request.KeyId, _factory, _buckets);
        var teamState = request.TeamId is null ? null : _teams.GetOrAdd(request.TeamId, _factory, _buckets);
        var now = _time.GetUtcNow();
        using (keyState.Gate.EnterScope())
        {
            if (teamState is null)
            {
                return Decide(request, keyState, null, now);
            }

            using (teamState.Gate.EnterScope())
            {
                return Decide(request, keyState, teamState, now);
            }
        }
    }

    /// <summary>Synchronous completion.</summary>
    public void Complete(in LimitLease lease, long actualTokens, long costNanoUsd)
    {
        if (!lease.IsActive || lease.KeyId is null)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var current = nowMs / _bucketMs;
        var day = BudgetPeriods.DayIndex(nowMs);
        var month = BudgetPeriods.MonthIndex(now);
        var delta = Math.Max(0, actualTokens) - lease.EstimatedTokens;
        var cost = Math.Max(0, costNanoUsd);
        if (_keys.TryGetValue(lease.KeyId, out var keyState))
        {
            CompleteSubject(keyState, lease.Bucket, current, delta, day, month, cost, lease.HoldsKeyConcurrency);
        }

        if (lease.TeamId is not null && _teams.TryGetValue(lease.TeamId, out var teamState))
        {
            CompleteSubject(teamState, lease.Bucket, current, delta, day, month, cost, lease.HoldsTeamConcurrency);
        }
    }

    private static void CompleteSubject(LocalSubjectState state, long bucket, long current, long delta, long day, long month, long cost, bool concurrency)
    {
        using (state.Gate.EnterScope())
        {
            state.Reconcile(bucket, current, delta);
            state.AddSpend(day, month, cost);
            if (concurrency && state.Concurrent > 0)
            {
                state.Concurrent--;
            }
        }
    }

    private LimitDecision Decide(in AdmissionRequest request, LocalSubjectState keyState, LocalSubjectState? teamState, DateTimeOffset now)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        var current = nowMs / _bucketMs;
        var day = BudgetPeriods.DayIndex(nowMs);
        var month = BudgetPeriods.MonthIndex(now);
        var estimate = Math.Max(0, request.EstimatedTokens);

        if (!Check(keyState, request.KeyLimits, LimitScope.Key, now, nowMs, current, day, month, estimate, out var keyHeaders, out var denied))
        {
            return denied;
        }

        var teamHeaders = default(RateLimitHeaders);
        var teamLimits = request.TeamLimits ?? LimitSet.Unlimited;
        if (teamState is not null
            && !Check(teamState, teamLimits, LimitScope.Team, now, nowMs, current, day, month, estimate, out teamHeaders, out denied))
        {
            return denied;
        }

        keyState.Charge(current, estimate);
        var keyConcurrency = request.KeyLimits.MaxConcurrentRequests > 0;
        if (keyConcurrency)
        {
            keyState.Concurrent++;
        }

        var teamConcurrency = false;
        if (teamState is not null)
        {
            teamState.Charge(current, estimate);
            teamConcurrency = teamLimits.MaxConcurrentRequests > 0;
            if (teamConcurrency)
            {
                teamState.Concurrent++;
            }
        }

        var lease = new LimitLease(request, current, Interlocked.Increment(ref _nextLeaseId), keyConcurrency, teamConcurrency, local: true);
        var headers = teamState is null ? keyHeaders : RateLimitHeaders.Pick(keyHeaders, teamHeaders);
        return LimitDecision.Admit(lease, headers);
    }

    /// <summary>Checks one subject; on success <paramref name="headers"/> describe the window after this request is charged.</summary>
    private bool Check(LocalSubjectState state, LimitSet limits, LimitScope scope, DateTimeOffset now, long nowMs, long current,
        long day, long month, long estimate, out RateLimitHeaders headers, out LimitDecision denied)
    {
        state.Scan(current, out var requests, out var tokens, out var newestRequest, out var newestToken);
        var windowEndMs = (current + _buckets) * _bucketMs;
        var resetRequests = newestRequest == long.MinValue ? TimeSpan.Zero : TimeSpan.FromMilliseconds(((newestRequest + _buckets) * _bucketMs) - nowMs);
        var resetTokens = newestToken == long.MinValue ? TimeSpan.Zero : TimeSpan.FromMilliseconds(((newestToken + _buckets) * _bucketMs) - nowMs);
        var rpm = limits.RequestsPerMinute;
        var tpm = limits.TokensPerMinute;
        var before = new RateLimitHeaders(rpm, Math.Max(0, rpm - requests), resetRequests, tpm, Math.Max(0, tpm - tokens), resetTokens);
        headers = before;
        denied = default;

        var monthBudget = limits.MonthlyBudgetNanoUsd;
        if (monthBudget > 0 && state.MonthSpent(month) >= monthBudget)
        {
            denied = LimitDecision.Deny(LimitKind.MonthlyBudget, scope, BudgetPeriods.UntilMonthEnd(now), before);
            return false;
        }

        var dayBudget = limits.DailyBudgetNanoUsd;
        if (dayBudget > 0 && state.DaySpent(day) >= dayBudget)
        {
            denied = LimitDecision.Deny(LimitKind.DailyBudget, scope, BudgetPeriods.UntilDayEnd(nowMs), before);
            return false;
        }

        if (limits.MaxConcurrentRequests > 0 && state.Concurrent >= limits.MaxConcurrentRequests)
        {
            denied = LimitDecision.Deny(LimitKind.ConcurrentRequests, scope, TimeSpan.FromSeconds(1), before);
            return false;
        }

        if (rpm > 0 && requests + 1 > rpm)
        {
            var bucket = state.FreeingBucket(tokens: false, current, requests, 1, rpm);
            denied = LimitDecision.Deny(LimitKind.RequestsPerMinute, scope, TimeSpan.FromMilliseconds(((bucket + _buckets) * _bucketMs) - nowMs), before);
            return false;
        }

        // A request larger than the whole limit is admitted into an empty window rather than refused forever; one that needs no
        // tokens (a moderation, a token count, a call on a stored response) is not held to them at all, even in a full window.
        var need = tpm > 0 ? Math.Min(estimate, tpm) : estimate;
        if (tpm > 0 && need > 0 && tokens + need > tpm)
        {
            var bucket = state.FreeingBucket(tokens: true, current, tokens, need, tpm);
            denied = LimitDecision.Deny(LimitKind.TokensPerMinute, scope, TimeSpan.FromMilliseconds(((bucket + _buckets) * _bucketMs) - nowMs), before);
            return false;
        }

        var window = TimeSpan.FromMilliseconds(windowEndMs - nowMs);
        headers = new RateLimitHeaders(rpm, Math.Max(0, rpm - requests - 1), window, tpm, Math.Max(0, tpm - tokens - estimate), estimate > 0 ? window : resetTokens);
        return true;
    }
}

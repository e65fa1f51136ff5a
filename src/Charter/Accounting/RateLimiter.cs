// Copyright (c) Charter contributors. Licensed under the MIT License.

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Charter.Accounting;

/// <summary>The limiter the gateway calls: the configured store, plus the Redis failure policy.</summary>
/// <remarks>
/// <code>
///  AcquireAsync ─► primary store (Redis or local) ── ok / limited ──► decision
///                        │ Unavailable
///                        ▼
///       budgets on the key/team? ── budgets_on_redis_failure ─┐
///       otherwise ────────────────── on_redis_failure ────────┤
///                          fail_closed ─► Unavailable (503)   │
///                          fail_open_local ─► local store ◄───┘
/// </code>
/// </remarks>
internal sealed partial class RateLimiter : IRateLimiter
{
    private readonly ILimitStore _primary;
    private readonly LocalLimitStore _local;
    private readonly IOptionsMonitor<LimitsOptions> _options;
    private readonly ILogger<RateLimiter> _logger;
    private int _degraded;

    public RateLimiter(ILimitStore primary, LocalLimitStore local, IOptionsMonitor<LimitsOptions> options, ILogger<RateLimiter> logger)
    {
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _primary = primary;
        _local = local;
        _options = options;
        _logger = logger;
    }

    public ValueTask<LimitDecision> AcquireAsync(AdmissionRequest request, CancellationToken cancellationToken = default)
    {
        if (ReferenceEquals(_primary, _local))
        {
            return new(_local.TryAcquire(request));
        }

        var pending = _primary.TryAcquireAsync(request, cancellationToken);
        if (pending.IsCompletedSuccessfully)
        {
            return new(OnPrimary(pending.Result, request));
        }

        return AwaitPrimary(pending, request);
    }

    public ValueTask CompleteAsync(LimitLease lease, long actualTokens, long costNanoUsd, CancellationToken cancellationToken = default)
    {
        if (!lease.IsActive)
        {
            return default;
        }

        if (lease.IsLocal)
        {
            _local.Complete(lease, actualTokens, costNanoUsd);
            return default;
        }

        var pending = _primary.CompleteAsync(lease, actualTokens, costNanoUsd, cancellationToken);
        if (pending.IsCompletedSuccessfully)
        {
            if (!pending.Result)
            {
                Log.CompleteLost(_logger);
            }

            return default;
        }

        return AwaitComplete(pending);
    }

    private async ValueTask<LimitDecision> AwaitPrimary(ValueTask<LimitDecision> pending, AdmissionRequest request) =>
        OnPrimary(await pending.ConfigureAwait(false), request);

    private async ValueTask AwaitComplete(ValueTask<bool> pending)
    {
        if (!await pending.ConfigureAwait(false))
        {
            Log.CompleteLost(_logger);
        }
    }

    private LimitDecision OnPrimary(in LimitDecision decision, in AdmissionRequest request)
    {
        if (decision.Limit != LimitKind.Unavailable)
        {
            if (Volatile.Read(ref _degraded) != 0 && Interlocked.Exchange(ref _degraded, 0) != 0)
            {
                Log.StoreRecovered(_logger);
            }

            return decision;
        }

        var options = _options.CurrentValue;
        var hasBudget = HasBudget(request.KeyLimits) || (request.TeamId is not null && HasBudget(request.TeamLimits));
        var policy = hasBudget ? options.BudgetsOnRedisFailurePolicy : options.OnRedisFailurePolicy;
        if (Interlocked.Exchange(ref _degraded, 1) == 0)
        {
            Log.StoreUnavailable(_logger, policy);
        }

        return policy == RedisFailurePolicy.FailOpenLocal ? _local.TryAcquire(request) : decision;
    }

    private static bool HasBudget(LimitSet? limits) => limits is not null && (limits.DailyBudgetUsd > 0 || limits.MonthlyBudgetUsd > 0);
}

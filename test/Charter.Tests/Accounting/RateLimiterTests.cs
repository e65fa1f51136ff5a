// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Accounting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static Charter.Tests.Accounting.LimitTestData;

namespace Charter.Tests.Accounting;

public sealed class RateLimiterTests
{
    [Fact]
    public async Task AcquireAsync_StoreUnavailableFailClosed_Refuses()
    {
        var limiter = Limiter(new LimitsOptions(), out _);

        var decision = await limiter.AcquireAsync(Request(new LimitSet { RequestsPerMinute = 5 }), TestContext.Current.CancellationToken);

        Assert.False(decision.Allowed);
        Assert.Equal(LimitKind.Unavailable, decision.Limit);
    }

    [Fact]
    public async Task AcquireAsync_StoreUnavailableFailOpenLocal_EnforcesLocally()
    {
        var limiter = Limiter(new LimitsOptions { OnRedisFailure = "fail_open_local" }, out var local);
        var limits = new LimitSet { RequestsPerMinute = 1 };

        var first = await limiter.AcquireAsync(Request(limits), TestContext.Current.CancellationToken);
        var second = await limiter.AcquireAsync(Request(limits), TestContext.Current.CancellationToken);

        Assert.True(first.Allowed);
        Assert.True(first.Lease.IsLocal);
        Assert.Equal(LimitKind.RequestsPerMinute, second.Limit);
        await limiter.CompleteAsync(first.Lease, 1, 1, TestContext.Current.CancellationToken);
        Assert.Equal(0, local.TryAcquire(Request(limits)).Headers.RemainingRequests);
    }

    [Fact]
    public async Task AcquireAsync_StoreUnavailableWithBudget_FollowsBudgetPolicy()
    {
        var limiter = Limiter(new LimitsOptions { OnRedisFailure = "fail_open_local" }, out _);
        var budgeted = new LimitSet { DailyBudgetUsd = 10m };

        var keyBudget = await limiter.AcquireAsync(Request(budgeted), TestContext.Current.CancellationToken);
        var teamBudget = await limiter.AcquireAsync(Request(LimitSet.Unlimited, team: "t", teamLimits: budgeted), TestContext.Current.CancellationToken);

        Assert.Equal(LimitKind.Unavailable, keyBudget.Limit);
        Assert.Equal(LimitKind.Unavailable, teamBudget.Limit);
    }

    [Fact]
    public async Task AcquireAsync_BudgetPolicyFailOpenLocal_AdmitsLocally()
    {
        var limiter = Limiter(new LimitsOptions { OnRedisFailure = "fail_closed", BudgetsOnRedisFailure = "fail_open_local" }, out _);

        var decision = await limiter.AcquireAsync(Request(new LimitSet { DailyBudgetUsd = 10m }), TestContext.Current.CancellationToken);

        Assert.True(decision.Allowed);
    }

    [Fact]
    public async Task AcquireAsync_LocalPrimary_EnforcesLimits()
    {
        var local = Store(Clock());
        var limiter = new RateLimiter(local, local, new StaticMonitor(new LimitsOptions()), NullLogger<RateLimiter>.Instance);
        var limits = new LimitSet { MaxConcurrentRequests = 1 };

        var first = await limiter.AcquireAsync(Request(limits), TestContext.Current.CancellationToken);
        var second = await limiter.AcquireAsync(Request(limits), TestContext.Current.CancellationToken);
        await limiter.CompleteAsync(first.Lease, 0, 0, TestContext.Current.CancellationToken);
        var third = await limiter.AcquireAsync(Request(limits), TestContext.Current.CancellationToken);

        Assert.True(first.Allowed);
        Assert.Equal(LimitKind.ConcurrentRequests, second.Limit);
        Assert.True(third.Allowed);
    }

    private static RateLimiter Limiter(LimitsOptions options, out LocalLimitStore local)
    {
        local = Store(Clock(), options);
        return new RateLimiter(new DownStore(), local, new StaticMonitor(options), NullLogger<RateLimiter>.Instance);
    }

    private sealed class DownStore : ILimitStore
    {
        public ValueTask<LimitDecision> TryAcquireAsync(AdmissionRequest request, CancellationToken cancellationToken = default) =>
            new(LimitDecision.Unavailable(TimeSpan.FromSeconds(1)));

        public ValueTask<bool> CompleteAsync(LimitLease lease, long actualTokens, long costNanoUsd, CancellationToken cancellationToken = default) =>
            new(false);
    }

    private sealed class StaticMonitor(LimitsOptions value) : IOptionsMonitor<LimitsOptions>
    {
        public LimitsOptions CurrentValue => value;

        public LimitsOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<LimitsOptions, string?> listener) => null;
    }
}

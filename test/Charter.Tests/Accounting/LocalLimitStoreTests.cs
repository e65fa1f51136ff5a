// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Accounting;
using static Charter.Tests.Accounting.LimitTestData;

namespace Charter.Tests.Accounting;

public sealed class LocalLimitStoreTests
{
    [Fact]
    public void TryAcquire_RequestsPerMinuteReached_DeniesWithRetryAfterUntilOldestBucketExpires()
    {
        var clock = Clock();
        var store = Store(clock);
        var limits = new LimitSet { RequestsPerMinute = 3 };

        Assert.True(store.TryAcquire(Request(limits)).Allowed);
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.True(store.TryAcquire(Request(limits)).Allowed);
        Assert.True(store.TryAcquire(Request(limits)).Allowed);
        var denied = store.TryAcquire(Request(limits));

        Assert.False(denied.Allowed);
        Assert.Equal(LimitKind.RequestsPerMinute, denied.Limit);
        Assert.Equal(LimitScope.Key, denied.Scope);
        Assert.Equal(TimeSpan.FromSeconds(50), denied.RetryAfter);
        Assert.Equal(50, denied.RetryAfterSeconds);
        Assert.Equal(default, denied.Lease);
    }

    [Fact]
    public void TryAcquire_SlidingWindow_AdmitsOnlyWhatExpiredBuckets()
    {
        var clock = Clock();
        var store = Store(clock);
        var limits = new LimitSet { RequestsPerMinute = 2 };
        store.TryAcquire(Request(limits));
        clock.Advance(TimeSpan.FromSeconds(30));
        store.TryAcquire(Request(limits));

        clock.Advance(TimeSpan.FromSeconds(29.5));
        Assert.False(store.TryAcquire(Request(limits)).Allowed);
        clock.Advance(TimeSpan.FromSeconds(0.5));
        Assert.True(store.TryAcquire(Request(limits)).Allowed);
        Assert.False(store.TryAcquire(Request(limits)).Allowed);
    }

    [Fact]
    public void TryAcquire_FixedMinuteBoundary_DoesNotDoubleTheLimit()
    {
        var clock = Clock();
        var store = Store(clock);
        var limits = new LimitSet { RequestsPerMinute = 5 };
        clock.Advance(TimeSpan.FromSeconds(59));
        for (var i = 0; i < 5; i++)
        {
            Assert.True(store.TryAcquire(Request(limits)).Allowed);
        }

        clock.Advance(TimeSpan.FromSeconds(2));

        Assert.False(store.TryAcquire(Request(limits)).Allowed);
    }

    [Fact]
    public void TryAcquire_TokensPerMinute_ChargesEstimateAndRefusesWhatDoesNotFit()
    {
        var store = Store(Clock());
        var limits = new LimitSet { TokensPerMinute = 1000 };

        Assert.True(store.TryAcquire(Request(limits, tokens: 600)).Allowed);
        var denied = store.TryAcquire(Request(limits, tokens: 500));

        Assert.Equal(LimitKind.TokensPerMinute, denied.Limit);
        Assert.Equal(400, denied.Headers.RemainingTokens);
        Assert.True(store.TryAcquire(Request(limits, tokens: 400)).Allowed);
    }

    [Fact]
    public void Complete_RealUsageBelowEstimate_GivesTheDifferenceBack()
    {
        var store = Store(Clock());
        var limits = new LimitSet { TokensPerMinute = 1000 };
        var first = store.TryAcquire(Request(limits, tokens: 900));

        store.Complete(first.Lease, actualTokens: 100, costNanoUsd: 0);
        var second = store.TryAcquire(Request(limits, tokens: 900));

        Assert.True(second.Allowed);
        Assert.Equal(0, second.Headers.RemainingTokens);
    }

    [Fact]
    public void Complete_RealUsageAboveEstimate_ChargesTheDifference()
    {
        var store = Store(Clock());
        var limits = new LimitSet { TokensPerMinute = 1000 };
        var first = store.TryAcquire(Request(limits, tokens: 100));

        store.Complete(first.Lease, actualTokens: 950, costNanoUsd: 0);

        var denied = store.TryAcquire(Request(limits, tokens: 100));
        Assert.Equal(LimitKind.TokensPerMinute, denied.Limit);
        Assert.Equal(50, denied.Headers.RemainingTokens);
    }

    [Fact]
    public void Complete_AfterChargedBucketLeftWindow_ChargesOverrunToCurrentBucket()
    {
        var clock = Clock();
        var store = Store(clock);
        var limits = new LimitSet { TokensPerMinute = 1000 };
        var lease = store.TryAcquire(Request(limits, tokens: 100)).Lease;
        clock.Advance(TimeSpan.FromSeconds(90));

        store.Complete(lease, actualTokens: 700, costNanoUsd: 0);

        Assert.Equal(LimitKind.TokensPerMinute, store.TryAcquire(Request(limits, tokens: 500)).Limit);
    }

    [Fact]
    public void TryAcquire_ConcurrencyLimit_RefusesUntilALeaseCompletes()
    {
        var store = Store(Clock());
        var limits = new LimitSet { MaxConcurrentRequests = 2 };
        var a = store.TryAcquire(Request(limits));
        var b = store.TryAcquire(Request(limits));

        var denied = store.TryAcquire(Request(limits));
        store.Complete(a.Lease, 0, 0);
        var after = store.TryAcquire(Request(limits));

        Assert.True(a.Allowed && b.Allowed);
        Assert.Equal(LimitKind.ConcurrentRequests, denied.Limit);
        Assert.True(after.Allowed);
    }

    [Fact]
    public void TryAcquire_DailyBudgetSpent_RefusesUntilUtcMidnight()
    {
        var clock = Clock();
        var store = Store(clock);
        var limits = new LimitSet { DailyBudgetUsd = 1.00m };
        var lease = store.TryAcquire(Request(limits)).Lease;
        store.Complete(lease, 10, Money.ToNanoUsd(0.60m));
        Assert.True(store.TryAcquire(Request(limits)).Allowed);
        var second = store.TryAcquire(Request(limits)).Lease;
        store.Complete(second, 10, Money.ToNanoUsd(0.40m));

        var denied = store.TryAcquire(Request(limits));

        Assert.Equal(LimitKind.DailyBudget, denied.Limit);
        Assert.True(denied.IsBudget);
        Assert.Equal(TimeSpan.FromHours(12), denied.RetryAfter);
        clock.Advance(TimeSpan.FromHours(12));
        Assert.True(store.TryAcquire(Request(limits)).Allowed);
    }

    [Fact]
    public void TryAcquire_MonthlyBudgetSpent_RefusesUntilFirstOfNextMonth()
    {
        var clock = Clock(new DateTimeOffset(2026, 2, 27, 0, 0, 0, TimeSpan.Zero));
        var store = Store(clock);
        var limits = new LimitSet { MonthlyBudgetUsd = 5m, DailyBudgetUsd = 100m };
        store.Complete(store.TryAcquire(Request(limits)).Lease, 1, Money.ToNanoUsd(5m));
        clock.Advance(TimeSpan.FromDays(1));

        var denied = store.TryAcquire(Request(limits));

        Assert.Equal(LimitKind.MonthlyBudget, denied.Limit);
        Assert.Equal(TimeSpan.FromDays(1), denied.RetryAfter);
        clock.Advance(TimeSpan.FromDays(1));
        Assert.True(store.TryAcquire(Request(limits)).Allowed);
    }

    [Fact]
    public void TryAcquire_TeamLimitReached_RefusesOtherKeysOfTheTeamWithoutChargingThem()
    {
        var store = Store(Clock());
        var keyLimits = new LimitSet { RequestsPerMinute = 10 };
        var team = new LimitSet { RequestsPerMinute = 2 };
        Assert.True(store.TryAcquire(Request(keyLimits, key: "a", team: "t", teamLimits: team)).Allowed);
        Assert.True(store.TryAcquire(Request(keyLimits, key: "b", team: "t", teamLimits: team)).Allowed);

        var denied = store.TryAcquire(Request(keyLimits, key: "c", team: "t", teamLimits: team));
        var keyAlone = store.TryAcquire(Request(keyLimits, key: "c"));

        Assert.Equal(LimitKind.RequestsPerMinute, denied.Limit);
        Assert.Equal(LimitScope.Team, denied.Scope);
        Assert.Equal(9, keyAlone.Headers.RemainingRequests);
    }

    [Fact]
    public void TryAcquire_Admitted_ReportsHeaderValuesAfterThisRequest()
    {
        var clock = Clock();
        var store = Store(clock);
        var limits = new LimitSet { RequestsPerMinute = 60, TokensPerMinute = 10_000 };
        store.TryAcquire(Request(limits, tokens: 1000));
        clock.Advance(TimeSpan.FromMilliseconds(20_250));

        var decision = store.TryAcquire(Request(limits, tokens: 500));

        Assert.Equal(new RateLimitHeaders(60, 58, TimeSpan.FromMilliseconds(59_750), 10_000, 8_500, TimeSpan.FromMilliseconds(59_750)), decision.Headers);
    }

    [Fact]
    public void TryAcquire_KeyAndTeamLimits_ReportsTheBindingSubjectPerDimension()
    {
        var store = Store(Clock());
        var key = new LimitSet { RequestsPerMinute = 100, TokensPerMinute = 1_000 };
        var team = new LimitSet { RequestsPerMinute = 5, TokensPerMinute = 1_000_000 };

        var decision = store.TryAcquire(Request(key, tokens: 10, team: "t", teamLimits: team));

        Assert.Equal(5, decision.Headers.LimitRequests);
        Assert.Equal(4, decision.Headers.RemainingRequests);
        Assert.Equal(1_000, decision.Headers.LimitTokens);
        Assert.Equal(990, decision.Headers.RemainingTokens);
    }

    [Fact]
    public void TryAcquire_RequestLargerThanTokenLimit_AdmittedOnlyIntoAnEmptyWindow()
    {
        var clock = Clock();
        var store = Store(clock);
        var limits = new LimitSet { TokensPerMinute = 100 };
        store.TryAcquire(Request(limits, tokens: 1));

        Assert.False(store.TryAcquire(Request(limits, tokens: 5000)).Allowed);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(store.TryAcquire(Request(limits, tokens: 5000)).Allowed);
    }

    [Fact]
    public void TryAcquire_NoTokensNeededInAFullTokenWindow_AdmittedAndStillCountedAsARequest()
    {
        // A moderation or a token count generates nothing: held to requests per minute, not to a window full of tokens.
        var store = Store(Clock());
        var limits = new LimitSet { RequestsPerMinute = 3, TokensPerMinute = 100 };
        Assert.True(store.TryAcquire(Request(limits, tokens: 5000)).Allowed); // fills the window

        Assert.False(store.TryAcquire(Request(limits, tokens: 1)).Allowed);
        Assert.True(store.TryAcquire(Request(limits, tokens: 0)).Allowed);
        Assert.True(store.TryAcquire(Request(limits, tokens: 0)).Allowed);
        Assert.Equal(LimitKind.RequestsPerMinute, store.TryAcquire(Request(limits, tokens: 0)).Limit);
    }

    [Fact]
    public async Task TryAcquire_ManyThreads_AdmitsExactlyTheLimit()
    {
        var store = Store(Clock());
        var limits = new LimitSet { RequestsPerMinute = 250 };
        var admitted = 0;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                if (store.TryAcquire(Request(limits, team: "t", teamLimits: LimitSet.Unlimited)).Allowed)
                {
                    Interlocked.Increment(ref admitted);
                }
            }
        })));

        Assert.Equal(250, admitted);
    }
}

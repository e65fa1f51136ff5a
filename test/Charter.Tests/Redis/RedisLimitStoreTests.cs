// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Net;
using System.Net.Sockets;
using Charter.Accounting;
using Charter.Redis;
using CsCheck;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Charter.Tests.Redis;

public sealed class RedisLimitStoreTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private readonly LimitsOptions _options = new() { RedisKeyPrefix = $"charter-test:{Guid.NewGuid():N}:", RedisTimeoutMs = 5000 };

    // Whole seconds, so the window and reset figures are exact.
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TryAcquireAsync_TwoInstancesUnderConcurrency_AdmitExactlyTheLimit()
    {
        var a = Store(redis.First);
        var b = Store(redis.Second);
        var limits = new LimitSet { RequestsPerMinute = 37 };
        var team = new LimitSet { RequestsPerMinute = 1000 };
        var admitted = 0;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            var store = worker % 2 == 0 ? a : b;
            for (var i = 0; i < 25; i++)
            {
                var decision = await store.TryAcquireAsync(new AdmissionRequest("key", limits, "team", team, 10), Ct);
                if (decision.Allowed)
                {
                    Interlocked.Increment(ref admitted);
                }
                else
                {
                    Assert.Equal(LimitKind.RequestsPerMinute, decision.Limit);
                }
            }
        })));

        Assert.Equal(37, admitted);
        var last = await a.TryAcquireAsync(new AdmissionRequest("key", limits, "team", team, 10), Ct);
        Assert.Equal(60, last.RetryAfterSeconds);
        Assert.Equal(0, last.Headers.RemainingRequests);
    }

    [Fact]
    public async Task TryAcquireAsync_Admitted_ReportsHeaderValues()
    {
        var store = Store(redis.First);
        var limits = new LimitSet { RequestsPerMinute = 10, TokensPerMinute = 1000 };
        await store.TryAcquireAsync(new AdmissionRequest("key", limits, null, null, 100), Ct);
        _clock.Advance(TimeSpan.FromSeconds(15));

        var decision = await store.TryAcquireAsync(new AdmissionRequest("key", limits, null, null, 300), Ct);

        Assert.True(decision.Allowed);
        Assert.Equal(new RateLimitHeaders(10, 8, TimeSpan.FromSeconds(60), 1000, 600, TimeSpan.FromSeconds(60)), decision.Headers);
    }

    [Fact]
    public async Task TryAcquireAsync_NoTokensNeededInAFullTokenWindow_AdmittedAndStillCountedAsARequest()
    {
        // As in process: a moderation or a token count is held to requests per minute, not to a window full of tokens.
        var store = Store(redis.First);
        var limits = new LimitSet { RequestsPerMinute = 3, TokensPerMinute = 100 };
        Assert.True((await store.TryAcquireAsync(new AdmissionRequest("key-free", limits, null, null, 5000), Ct)).Allowed);

        Assert.False((await store.TryAcquireAsync(new AdmissionRequest("key-free", limits, null, null, 1), Ct)).Allowed);
        Assert.True((await store.TryAcquireAsync(new AdmissionRequest("key-free", limits, null, null, 0), Ct)).Allowed);
        Assert.True((await store.TryAcquireAsync(new AdmissionRequest("key-free", limits, null, null, 0), Ct)).Allowed);
        Assert.Equal(LimitKind.RequestsPerMinute, (await store.TryAcquireAsync(new AdmissionRequest("key-free", limits, null, null, 0), Ct)).Limit);
    }

    [Fact]
    public async Task CompleteAsync_ReconcilesTokensVisibleToTheOtherInstance()
    {
        var a = Store(redis.First);
        var b = Store(redis.Second);
        var limits = new LimitSet { TokensPerMinute = 1000 };
        var lease = (await a.TryAcquireAsync(new AdmissionRequest("key", limits, null, null, 900), Ct)).Lease;
        Assert.Equal(LimitKind.TokensPerMinute, (await b.TryAcquireAsync(new AdmissionRequest("key", limits, null, null, 500), Ct)).Limit);

        Assert.True(await a.CompleteAsync(lease, actualTokens: 200, costNanoUsd: 0, Ct));
        var after = await b.TryAcquireAsync(new AdmissionRequest("key", limits, null, null, 500), Ct);

        Assert.True(after.Allowed);
        Assert.Equal(300, after.Headers.RemainingTokens);
    }

    [Fact]
    public async Task TryAcquireAsync_ConcurrencyAcrossInstances_ReleasedOnComplete()
    {
        var a = Store(redis.First);
        var b = Store(redis.Second);
        var team = new LimitSet { MaxConcurrentRequests = 2 };
        var first = await a.TryAcquireAsync(new AdmissionRequest("k1", LimitSet.Unlimited, "t", team, 0), Ct);
        var second = await b.TryAcquireAsync(new AdmissionRequest("k2", LimitSet.Unlimited, "t", team, 0), Ct);

        var third = await b.TryAcquireAsync(new AdmissionRequest("k3", LimitSet.Unlimited, "t", team, 0), Ct);
        await a.CompleteAsync(first.Lease, 0, 0, Ct);
        var fourth = await b.TryAcquireAsync(new AdmissionRequest("k3", LimitSet.Unlimited, "t", team, 0), Ct);

        Assert.True(first.Allowed && second.Allowed);
        Assert.Equal(LimitKind.ConcurrentRequests, third.Limit);
        Assert.Equal(LimitScope.Team, third.Scope);
        Assert.True(fourth.Allowed);
    }

    [Fact]
    public async Task TryAcquireAsync_ConcurrencyLeaseOfDeadInstance_ExpiresAfterLeaseTimeout()
    {
        _options.ConcurrencyLeaseSeconds = 30;
        var store = Store(redis.First);
        var limits = new LimitSet { MaxConcurrentRequests = 1 };
        await store.TryAcquireAsync(new AdmissionRequest("key", limits, null, null, 0), Ct);
        Assert.Equal(LimitKind.ConcurrentRequests, (await store.TryAcquireAsync(new AdmissionRequest("key", limits, null, null, 0), Ct)).Limit);

        _clock.Advance(TimeSpan.FromSeconds(31));

        Assert.True((await store.TryAcquireAsync(new AdmissionRequest("key", limits, null, null, 0), Ct)).Allowed);
    }

    [Fact]
    public async Task CompleteAsync_SpendReachesDailyBudget_OtherInstanceRefusesWithBudget()
    {
        var a = Store(redis.First);
        var b = Store(redis.Second);
        var limits = new LimitSet { DailyBudgetUsd = 0.015m };
        var prices = new PriceTable(Options.Create(new PricingOptions { Models = new() { ["m"] = new ModelPrice { InputPerMillion = 2.5m, OutputPerMillion = 10m } } }));
        var expected = 0L;
        for (var i = 0; i < 3; i++)
        {
            var decision = await a.TryAcquireAsync(new AdmissionRequest("key", limits, "team", LimitSet.Unlimited, 10), Ct);
            Assert.True(decision.Allowed);
            var cost = prices.CostNanoUsd("m", new TokenUsage(1000, 250));
            expected += cost;
            await a.CompleteAsync(decision.Lease, 1250, cost, Ct);
        }

        var refused = await b.TryAcquireAsync(new AdmissionRequest("key", limits, "team", LimitSet.Unlimited, 10), Ct);
        var keySpend = await b.GetSpendAsync(LimitScope.Key, "key");
        var teamSpend = await b.GetSpendAsync(LimitScope.Team, "team");

        Assert.Equal(LimitKind.DailyBudget, refused.Limit);
        Assert.True(refused.IsBudget);
        Assert.Equal(15_000_000, expected);
        Assert.Equal((expected, expected), keySpend);
        Assert.Equal((expected, expected), teamSpend);
    }

    [Fact]
    public async Task TryAcquireAsync_KeysWritten_AllCarryExpiry()
    {
        var store = Store(redis.First);
        var limits = new LimitSet { RequestsPerMinute = 5, MaxConcurrentRequests = 5, DailyBudgetUsd = 1 };
        var decision = await store.TryAcquireAsync(new AdmissionRequest("key", limits, "team", limits, 5), Ct);
        await store.CompleteAsync(decision.Lease, 5, 1000, Ct);
        await store.TryAcquireAsync(new AdmissionRequest("key", limits, "team", limits, 5), Ct);

        var server = redis.First.GetServer(redis.First.GetEndPoints()[0]);
        var keys = server.Keys(pattern: _options.RedisKeyPrefix + "*").ToList();

        Assert.Equal(8, keys.Count);
        foreach (var key in keys)
        {
            Assert.NotNull(await redis.First.GetDatabase().KeyTimeToLiveAsync(key));
        }
    }

    [Fact]
    public async Task TryAcquireAsync_RedisUnreachable_ReportsUnavailableAndPolicyDecides()
    {
        using var dead = RedisConnectionFactory.Connect($"127.0.0.1:{FreePort()}", timeoutMs: 300);
        var store = Store(dead);
        var limits = new LimitSet { RequestsPerMinute = 1 };
        var request = new AdmissionRequest("key", limits, null, null, 1);

        var raw = await store.TryAcquireAsync(request, Ct);
        var closed = await Limiter(store, new LimitsOptions()).AcquireAsync(request, Ct);
        var openLimiter = Limiter(store, new LimitsOptions { OnRedisFailure = "fail_open_local" });
        var open = await openLimiter.AcquireAsync(request, Ct);
        var openSecond = await openLimiter.AcquireAsync(request, Ct);
        var budget = await openLimiter.AcquireAsync(new AdmissionRequest("key2", new LimitSet { MonthlyBudgetUsd = 5 }, null, null, 1), Ct);

        Assert.Equal(LimitKind.Unavailable, raw.Limit);
        Assert.Equal(LimitKind.Unavailable, closed.Limit);
        Assert.True(open.Allowed);
        Assert.True(open.Lease.IsLocal);
        Assert.Equal(LimitKind.RequestsPerMinute, openSecond.Limit);
        Assert.Equal(LimitKind.Unavailable, budget.Limit);
        Assert.False(await store.CompleteAsync(new LimitLease(request, 0, 1, false, false, local: false), 1, 1, Ct));
    }

    [Fact]
    public async Task CompleteAsync_ManyAtOnce_EachSettledWithItsOwnFigures()
    {
        // Settlements racing each other on one connection: each releases its own slots and corrects by its own figure.
        var store = Store(redis.First);
        var key = new LimitSet { MaxConcurrentRequests = 30, TokensPerMinute = 100_000 };
        var team = new LimitSet { MaxConcurrentRequests = 30 };
        var leases = new List<LimitLease>();
        for (var i = 0; i < 30; i++)
        {
            var decision = await store.TryAcquireAsync(new AdmissionRequest("key", key, i % 2 == 0 ? "team" : null, i % 2 == 0 ? team : null, 100), Ct);
            Assert.True(decision.Allowed);
            leases.Add(decision.Lease);
        }

        var settled = await Task.WhenAll(leases.Select((lease, i) => Task.Run(() => store.CompleteAsync(lease, 10 * i, 0, Ct).AsTask())));
        var after = await store.TryAcquireAsync(new AdmissionRequest("key", key, "team", team, 0), Ct);

        Assert.All(settled, Assert.True);
        Assert.True(after.Allowed);
        Assert.Equal(100_000 - Enumerable.Range(0, 30).Sum(i => 10 * i), after.Headers.RemainingTokens);
        Assert.Equal(1, await redis.First.GetDatabase().SortedSetLengthAsync(_options.RedisKeyPrefix + "l:k:key:c"));
        Assert.Equal(1, await redis.First.GetDatabase().SortedSetLengthAsync(_options.RedisKeyPrefix + "l:t:team:c"));
    }

    [Fact]
    public async Task TryAcquireAsync_WindowSlidesBucketByBucket_OldRequestsLeaveIt()
    {
        var store = Store(redis.First);
        var limits = new LimitSet { RequestsPerMinute = 3, TokensPerMinute = 1000 };
        await store.TryAcquireAsync(new AdmissionRequest("key", limits, null, null, 400), Ct);
        await store.TryAcquireAsync(new AdmissionRequest("key", limits, null, null, 100), Ct);
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.True((await store.TryAcquireAsync(new AdmissionRequest("key", limits, null, null, 100), Ct)).Allowed);

        var refused = await store.TryAcquireAsync(new AdmissionRequest("key", limits, null, null, 0), Ct);
        _clock.Advance(TimeSpan.FromSeconds(30));
        var after = await store.TryAcquireAsync(new AdmissionRequest("key", limits, null, null, 50), Ct);

        Assert.Equal(LimitKind.RequestsPerMinute, refused.Limit);
        Assert.Equal(30, refused.RetryAfterSeconds);
        Assert.True(after.Allowed);
        Assert.Equal(1, after.Headers.RemainingRequests);
        Assert.Equal(850, after.Headers.RemainingTokens);
    }

    [Fact]
    public async Task TryAcquireAsync_IdleLongerThanTheWindow_StartsFromEmpty()
    {
        var store = Store(redis.First);
        var limits = new LimitSet { RequestsPerMinute = 2, TokensPerMinute = 1000 };
        await store.TryAcquireAsync(new AdmissionRequest("key", limits, null, null, 700), Ct);
        await store.TryAcquireAsync(new AdmissionRequest("key", limits, null, null, 200), Ct);
        _clock.Advance(TimeSpan.FromMinutes(5));

        var decision = await store.TryAcquireAsync(new AdmissionRequest("key", limits, null, null, 10), Ct);

        Assert.True(decision.Allowed);
        Assert.Equal(1, decision.Headers.RemainingRequests);
        Assert.Equal(990, decision.Headers.RemainingTokens);
    }

    [Fact]
    public async Task TryAcquireAsync_NoCheckForAWindowButASettlementInIt_CountsTheSettledTokens()
    {
        // Admitted with no estimate, settled 30 s later (the tokens land in that bucket), next check 70 s after the first.
        var store = Store(redis.First);
        var limits = new LimitSet { RequestsPerMinute = 10, TokensPerMinute = 1000 };
        var lease = (await store.TryAcquireAsync(new AdmissionRequest("key", limits, null, null, 0), Ct)).Lease;
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.True(await store.CompleteAsync(lease, 500, 0, Ct));
        _clock.Advance(TimeSpan.FromSeconds(40));

        var decision = await store.TryAcquireAsync(new AdmissionRequest("key", limits, null, null, 100), Ct);

        Assert.True(decision.Allowed);
        Assert.Equal(9, decision.Headers.RemainingRequests);
        Assert.Equal(400, decision.Headers.RemainingTokens);
    }

    [Fact]
    public async Task TryAcquireAsync_WindowWrittenWithoutSums_SummedOnceFromItsBuckets()
    {
        // The layout of earlier versions: bucket fields only (one stale bucket, two in the window).
        var store = Store(redis.First);
        var cur = _clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000;
        var window = (RedisKey)(_options.RedisKeyPrefix + "l:k:key:w");
        await redis.First.GetDatabase().HashSetAsync(window,
        [
            new("r" + (cur - 90), 5), new("t" + (cur - 90), 500),
            new("r" + (cur - 10), 2), new("t" + (cur - 10), 300),
            new("r" + cur, 1), new("t" + cur, 100),
        ]);
        var limits = new LimitSet { RequestsPerMinute = 10, TokensPerMinute = 1000 };

        var decision = await store.TryAcquireAsync(new AdmissionRequest("key", limits, null, null, 50), Ct);

        Assert.True(decision.Allowed);
        Assert.Equal(6, decision.Headers.RemainingRequests);
        Assert.Equal(550, decision.Headers.RemainingTokens);
        Assert.False(await redis.First.GetDatabase().HashExistsAsync(window, "r" + (cur - 90)));
    }

    [Fact]
    public async Task CompleteAsync_TokensLandInABucketThatHadNone_ResetTokensCountsFromThatBucket()
    {
        // Found by the random-traffic comparison below (seed auP5FOaTvPR8): a bucket whose tokens had settled to zero got
        // tokens again from a request charged no estimate, and the newest-bucket-with-tokens marker stayed older.
        var store = Store(redis.First);
        var limits = new LimitSet { RequestsPerMinute = 100, TokensPerMinute = 10_000 };
        var older = await store.TryAcquireAsync(new AdmissionRequest("key", limits, null, null, 100), Ct);
        Assert.True(await store.CompleteAsync(older.Lease, 100, 0, Ct));
        _clock.Advance(TimeSpan.FromSeconds(20));
        var settlesToNone = await store.TryAcquireAsync(new AdmissionRequest("key", limits, null, null, 100), Ct);
        Assert.True(await store.CompleteAsync(settlesToNone.Lease, 0, 0, Ct)); // this bucket: 0 tokens, newest is 20 s back
        var noEstimate = await store.TryAcquireAsync(new AdmissionRequest("key", limits, null, null, 0), Ct);
        Assert.True(await store.CompleteAsync(noEstimate.Lease, 50, 0, Ct)); // this bucket: 50 tokens again
        _clock.Advance(TimeSpan.FromSeconds(1));

        var next = await store.TryAcquireAsync(new AdmissionRequest("key", limits, null, null, 0), Ct);

        Assert.True(next.Allowed);
        Assert.Equal(10_000 - 150, next.Headers.RemainingTokens);
        Assert.Equal(TimeSpan.FromSeconds(59), next.Headers.ResetTokens); // not 39 s (the bucket 20 s older)
    }

    [Fact]
    public async Task TryAcquireAsync_RandomTraffic_DecidesAsTheInProcessStore()
    {
        // The same arrivals, estimates and completions against the in-process store (the reference semantics) and Redis.
        // actual: -1 = not settled; 0 (a request that used no tokens) drawn often, as it moves the newest bucket with tokens.
        var steps = Gen.Select(Gen.Int[0, 9_000], Gen.Int[0, 400], Gen.OneOf(Gen.Int[-1, 600], Gen.Const(0)), Gen.Int[0, 40]).Array[1, 120];
        var run = 0;
        steps.Sample(t =>
        {
            var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_790_000_000 + (run * 1_000)));
            var options = new LimitsOptions { RedisKeyPrefix = $"charter-test:{Guid.NewGuid():N}:", RedisTimeoutMs = 5000 };
            var local = new LocalLimitStore(Options.Create(options), clock);
            var shared = new RedisLimitStore(redis.First, Options.Create(options), clock, NullLogger<RedisLimitStore>.Instance);
            var key = new LimitSet { RequestsPerMinute = 6, TokensPerMinute = 2_000 };
            var team = new LimitSet { RequestsPerMinute = 9, TokensPerMinute = 3_000 };
            run++;
            foreach (var (gap, estimate, actual, idle) in t)
            {
                clock.Advance(TimeSpan.FromMilliseconds(idle == 0 ? 70_000 : gap));
                var request = new AdmissionRequest("key", key, "team", team, estimate);
                var expected = local.TryAcquire(request);
                var got = shared.TryAcquireAsync(request, Ct).AsTask().GetAwaiter().GetResult();

                Assert.Equal(expected.Limit, got.Limit);
                Assert.Equal(expected.Scope, got.Scope);
                Assert.Equal(expected.RetryAfter, got.RetryAfter);
                Assert.Equal(expected.Headers.RemainingRequests, got.Headers.RemainingRequests);
                Assert.Equal(expected.Headers.RemainingTokens, got.Headers.RemainingTokens);
                Assert.Equal(expected.Headers.ResetRequests, got.Headers.ResetRequests);
                Assert.Equal(expected.Headers.ResetTokens, got.Headers.ResetTokens);
                if (expected.Allowed && actual >= 0)
                {
                    local.Complete(expected.Lease, actual, 0);
                    Assert.True(shared.CompleteAsync(got.Lease, actual, 0, Ct).AsTask().GetAwaiter().GetResult());
                }
            }
        }, iter: 40);
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private RateLimiter Limiter(ILimitStore primary, LimitsOptions options) =>
        new(primary, new LocalLimitStore(Options.Create(options), _clock), new StaticMonitor(options), NullLogger<RateLimiter>.Instance);

    private RedisLimitStore Store(IConnectionMultiplexer connection) =>
        new(connection, Options.Create(_options), _clock, NullLogger<RedisLimitStore>.Instance);

    private sealed class StaticMonitor(LimitsOptions value) : IOptionsMonitor<LimitsOptions>
    {
        public LimitsOptions CurrentValue => value;

        public LimitsOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<LimitsOptions, string?> listener) => null;
    }
}

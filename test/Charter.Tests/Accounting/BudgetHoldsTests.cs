// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Accounting;
using Charter.Errors;
using Charter.Forwarding;
using Charter.Keys;
using Charter.Policy;
using Charter.Policy.Lifecycle;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static Charter.Tests.Accounting.LimitTestData;

namespace Charter.Tests.Accounting;

public sealed class BudgetHoldsTests
{
    private const long Cent = Money.NanoPerUsd / 100;

    [Fact]
    public async Task OnRefused_DailyBudgetSpent_PlacesBudgetHoldOnceNamingBudgetAndPeriodEnd()
    {
        var f = new Fixture(new LimitSet { DailyBudgetUsd = 0.05m });
        f.Spend("k1", null, 5 * Cent);

        var first = f.Holds.OnRefused(LimitKind.DailyBudget, LimitScope.Key, "k1");
        var whilePlacing = f.Holds.OnRefused(LimitKind.DailyBudget, LimitScope.Key, "k1");
        await first!;
        var afterPlaced = f.Holds.OnRefused(LimitKind.DailyBudget, LimitScope.Key, "k1");

        Assert.Null(whilePlacing);
        Assert.Null(afterPlaced);
        Assert.True(f.Holds.TryGetHold("k1", null, out var scope));
        Assert.Equal(LimitScope.Key, scope);
        var history = await f.LifecycleStore.GetHistoryAsync(EntityKind.Key, "k1", TestContext.Current.CancellationToken);
        var placed = Assert.Single(history);
        Assert.Equal(LifecycleEvent.PlaceHold, placed.Event);
        Assert.Equal(LifecycleHolds.Budget, placed.HoldsAfter);
        Assert.Equal(BudgetHolds.SystemActor, placed.Actor);
        Assert.Contains("daily budget of 0.05 USD", placed.Reason, StringComparison.Ordinal);
        Assert.Contains("2026-03-16T00:00:00Z", placed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnRefused_AdminClearsHoldWhilePlacementStillRuns_PlacesItAgainOnceThatPlacementEnds()
    {
        // The placement's announcement of its transition waits on the gate: the hold is stored and cached, but the placement
        // has not ended when the admin clears the hold and the next request is refused.
        var notifier = new GatedNotifier();
        var f = new Fixture(new LimitSet { DailyBudgetUsd = 0.05m }, notifier: notifier);
        f.Spend("k1", null, 5 * Cent);

        var placement = f.Holds.OnRefused(LimitKind.DailyBudget, LimitScope.Key, "k1");
        await notifier.Held.Task.WaitAsync(TestContext.Current.CancellationToken);
        var clear = await f.Lifecycle.ApplyAsync(EntityKind.Key, "k1", LifecycleCommand.ClearHold("admin", LifecycleHolds.Budget, "checking"),
            TestContext.Current.CancellationToken);
        var heldAfterClear = f.Holds.TryGetHold("k1", null, out _);
        var refusedMeanwhile = f.Holds.OnRefused(LimitKind.DailyBudget, LimitScope.Key, "k1");
        notifier.Gate.SetResult();
        await placement!;

        Assert.True(clear.Succeeded);
        Assert.False(heldAfterClear);
        Assert.Null(refusedMeanwhile);
        Assert.True(f.Holds.TryGetHold("k1", null, out _));
        var history = await f.LifecycleStore.GetHistoryAsync(EntityKind.Key, "k1", TestContext.Current.CancellationToken);
        Assert.Equal([LifecycleEvent.PlaceHold, LifecycleEvent.ClearHold, LifecycleEvent.PlaceHold], history.Select(t => t.Event));
        Assert.Null(f.Holds.OnRefused(LimitKind.DailyBudget, LimitScope.Key, "k1"));
    }

    [Fact]
    public async Task OnRefused_MonthlyTeamBudget_HoldsTeamSoEveryKeyOfItIsHeld()
    {
        var f = new Fixture(LimitSet.Unlimited, new LimitSet { MonthlyBudgetUsd = 1m });

        await f.Holds.OnRefused(LimitKind.MonthlyBudget, LimitScope.Team, "t1")!;

        Assert.True(f.Holds.TryGetHold("another-key", "t1", out var scope));
        Assert.Equal(LimitScope.Team, scope);
        Assert.False(f.Holds.TryGetHold("another-key", "t2", out _));
        var history = await f.LifecycleStore.GetHistoryAsync(EntityKind.Team, "t1", TestContext.Current.CancellationToken);
        Assert.Contains("monthly budget of 1 USD", Assert.Single(history).Reason, StringComparison.Ordinal);
        Assert.Contains("2026-04-01T00:00:00Z", history[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SweepAsync_DailyBudgetStillSpent_KeepsHold()
    {
        var f = new Fixture(new LimitSet { DailyBudgetUsd = 0.05m });
        f.Spend("k1", null, 6 * Cent);
        await f.Holds.OnRefused(LimitKind.DailyBudget, LimitScope.Key, "k1")!;
        f.Time.Advance(TimeSpan.FromHours(11.9));

        var cleared = await f.Holds.SweepAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, cleared);
        Assert.True(f.Holds.TryGetHold("k1", null, out _));
    }

    [Fact]
    public async Task SweepAsync_DayEnds_ClearsDailyHoldAsSystem()
    {
        var f = new Fixture(new LimitSet { DailyBudgetUsd = 0.05m });
        f.Spend("k1", null, 6 * Cent);
        await f.Holds.OnRefused(LimitKind.DailyBudget, LimitScope.Key, "k1")!;
        f.Time.Advance(TimeSpan.FromHours(12));

        var cleared = await f.Holds.SweepAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, cleared);
        Assert.False(f.Holds.TryGetHold("k1", null, out _));
        var history = await f.LifecycleStore.GetHistoryAsync(EntityKind.Key, "k1", TestContext.Current.CancellationToken);
        Assert.Equal(LifecycleEvent.ClearHold, history[^1].Event);
        Assert.Equal(BudgetHolds.SystemActor, history[^1].Actor);
        Assert.Equal(LifecycleHolds.None, history[^1].HoldsAfter);
    }

    [Fact]
    public async Task SweepAsync_MonthlyBudgetSpentAndDayEnds_KeepsHoldUntilMonthEnds()
    {
        var f = new Fixture(new LimitSet { DailyBudgetUsd = 1m, MonthlyBudgetUsd = 0.05m }, start: new DateTimeOffset(2026, 3, 30, 12, 0, 0, TimeSpan.Zero));
        f.Spend("k1", null, 5 * Cent);
        await f.Holds.OnRefused(LimitKind.MonthlyBudget, LimitScope.Key, "k1")!;

        f.Time.Advance(TimeSpan.FromHours(12));
        var nextDay = await f.Holds.SweepAsync(TestContext.Current.CancellationToken);
        f.Time.Advance(TimeSpan.FromDays(1));
        var nextMonth = await f.Holds.SweepAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, nextDay);
        Assert.Equal(1, nextMonth);
        Assert.False(f.Holds.TryGetHold("k1", null, out _));
    }

    [Fact]
    public async Task ReviewAsync_BudgetRaisedAboveSpend_ClearsHoldAsAdmin()
    {
        var f = new Fixture(new LimitSet { DailyBudgetUsd = 0.05m });
        f.Spend("k1", null, 6 * Cent);
        await f.Holds.OnRefused(LimitKind.DailyBudget, LimitScope.Key, "k1")!;

        f.Limits.Set(LimitScope.Key, "k1", new LimitSet { DailyBudgetUsd = 0.10m });
        var review = await f.Holds.ReviewAsync(EntityKind.Key, "k1", "admin:ak_1", TestContext.Current.CancellationToken);

        Assert.Equal(BudgetHoldReview.Cleared, review);
        Assert.False(f.Holds.TryGetHold("k1", null, out _));
        var history = await f.LifecycleStore.GetHistoryAsync(EntityKind.Key, "k1", TestContext.Current.CancellationToken);
        Assert.Equal("admin:ak_1", history[^1].Actor);
    }

    [Fact]
    public async Task ReviewAsync_BudgetRaisedButSpendStillAbove_KeepsHold()
    {
        var f = new Fixture(new LimitSet { DailyBudgetUsd = 0.05m });
        f.Spend("k1", null, 8 * Cent);
        await f.Holds.OnRefused(LimitKind.DailyBudget, LimitScope.Key, "k1")!;

        f.Limits.Set(LimitScope.Key, "k1", new LimitSet { DailyBudgetUsd = 0.07m });
        var review = await f.Holds.ReviewAsync(EntityKind.Key, "k1", "admin:ak_1", TestContext.Current.CancellationToken);

        Assert.Equal(BudgetHoldReview.StillSpent, review);
        Assert.True(f.Holds.TryGetHold("k1", null, out _));
    }

    [Fact]
    public async Task ReviewAsync_NoHold_DoesNothing()
    {
        var f = new Fixture(new LimitSet { DailyBudgetUsd = 0.05m });

        var review = await f.Holds.ReviewAsync(EntityKind.Key, "k1", "admin:ak_1", TestContext.Current.CancellationToken);

        Assert.Equal(BudgetHoldReview.NotHeld, review);
        Assert.Empty(await f.LifecycleStore.GetHistoryAsync(EntityKind.Key, "k1", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ExecuteAsync_DayEndsWhileRunning_ClearsHoldOnATick()
    {
        var f = new Fixture(new LimitSet { DailyBudgetUsd = 0.05m }, start: new DateTimeOffset(2026, 3, 15, 23, 59, 50, TimeSpan.Zero));
        f.Spend("k1", null, 5 * Cent);
        await f.Holds.OnRefused(LimitKind.DailyBudget, LimitScope.Key, "k1")!;
        using var service = new BudgetSweepService(f.Holds, Options.Create(new LimitsOptions { BudgetSweepSeconds = 10 }), f.Time, NullLogger<BudgetSweepService>.Instance);
        await service.StartAsync(TestContext.Current.CancellationToken);

        // Advance the fake clock tick by tick until the sweep (which runs on that clock) has cleared the hold.
        var held = true;
        for (var i = 0; i < 500 && held; i++)
        {
            f.Time.Advance(TimeSpan.FromSeconds(10));
            await Task.Delay(10, TestContext.Current.CancellationToken);
            held = f.Holds.TryGetHold("k1", null, out _);
        }

        await service.StopAsync(TestContext.Current.CancellationToken);
        Assert.False(held);
    }

    [Fact]
    public async Task AdmitAsync_DailyBudgetSpent_Refuses429AndPlacesHold()
    {
        var f = new Fixture(new LimitSet { DailyBudgetUsd = 0.05m });
        f.Spend("k1", "t1", 5 * Cent);
        var headers = new HeaderDictionary();

        var admission = await f.Gateway.AdmitAsync(Key("k1", "t1"), default, ReadOnlyMemory<byte>.Empty, headers, TestContext.Current.CancellationToken);
        await f.WaitForHoldAsync("k1");

        Assert.Equal(CharterError.BudgetExceeded, admission.Decision.Error);
        Assert.Equal(429, ErrorInfo.For(CharterError.BudgetExceeded).Status);
        Assert.Equal("43200", headers["retry-after"].ToString());
    }

    [Fact]
    public async Task AdmitAsync_KeyHeld_RefusesWithRetryAfterToDayEndWithoutCharging()
    {
        var f = new Fixture(new LimitSet { DailyBudgetUsd = 0.05m, RequestsPerMinute = 100 });
        await f.Holds.OnRefused(LimitKind.DailyBudget, LimitScope.Key, "k1")!;
        var headers = new HeaderDictionary();

        var admission = await f.Gateway.AdmitAsync(Key("k1", "t1"), default, ReadOnlyMemory<byte>.Empty, headers, TestContext.Current.CancellationToken);

        Assert.Equal(CharterError.BudgetExceeded, admission.Decision.Error);
        Assert.Equal("43200", headers["retry-after"].ToString());
        Assert.Equal(99, f.Store.TryAcquire(Request(new LimitSet { RequestsPerMinute = 100 }, key: "k1")).Headers.RemainingRequests);
    }

    [Fact]
    public async Task AdmitAsync_AdminClearedHoldWhileStillSpent_RefusesAndPlacesHoldAgain()
    {
        var f = new Fixture(new LimitSet { DailyBudgetUsd = 0.05m });
        f.Spend("k1", "t1", 5 * Cent);
        await f.Holds.OnRefused(LimitKind.DailyBudget, LimitScope.Key, "k1")!;
        var clear = await f.Lifecycle.ApplyAsync(EntityKind.Key, "k1", LifecycleCommand.ClearHold("admin:ak_1", LifecycleHolds.Budget, "try again"),
            TestContext.Current.CancellationToken);
        Assert.True(clear.Succeeded);

        var admission = await f.Gateway.AdmitAsync(Key("k1", "t1"), default, ReadOnlyMemory<byte>.Empty, new HeaderDictionary(), TestContext.Current.CancellationToken);
        await f.WaitForHoldAsync("k1");

        Assert.Equal(CharterError.BudgetExceeded, admission.Decision.Error);
        var history = await f.LifecycleStore.GetHistoryAsync(EntityKind.Key, "k1", TestContext.Current.CancellationToken);
        Assert.Equal([LifecycleEvent.PlaceHold, LifecycleEvent.ClearHold, LifecycleEvent.PlaceHold], history.Select(h => h.Event));
    }

    [Fact]
    public async Task AdmitAsync_AdminClearedHoldAndBudgetAllows_Admits()
    {
        var f = new Fixture(new LimitSet { DailyBudgetUsd = 0.05m });
        f.Spend("k1", "t1", 1 * Cent);
        await f.Holds.OnRefused(LimitKind.DailyBudget, LimitScope.Key, "k1")!;
        await f.Lifecycle.ApplyAsync(EntityKind.Key, "k1", LifecycleCommand.ClearHold("admin:ak_1", LifecycleHolds.Budget, "try again"),
            TestContext.Current.CancellationToken);

        var admission = await f.Gateway.AdmitAsync(Key("k1", "t1"), default, ReadOnlyMemory<byte>.Empty, new HeaderDictionary(), TestContext.Current.CancellationToken);

        Assert.False(admission.Decision.Denied);
        Assert.False(f.Holds.TryGetHold("k1", "t1", out _));
    }

    private static ApiKeyRecord Key(string id, string team) => new()
    {
        Id = id,
        TeamId = team,
        Hash = [],
        Prefix = "sk-",
        Purposes = ["testing"],
        DefaultPurpose = "testing",
        CreatedAt = Start,
    };

    private sealed class Fixture
    {
        public Fixture(LimitSet keyDefaults, LimitSet? teamDefaults = null, DateTimeOffset? start = null, IChangeNotifier? notifier = null)
        {
            Time = Clock(start);
            var options = new LimitsOptions { KeyDefaults = keyDefaults, TeamDefaults = teamDefaults ?? LimitSet.Unlimited };
            Store = LimitTestData.Store(Time, options);
            Limits = new SubjectLimits(new StaticMonitor(options));
            Cache = new LifecycleCache(LifecycleStore);
            Lifecycle = new LifecycleCoordinator(LifecycleStore, Cache, null, Time, new LifecycleOptions(), NullLogger<LifecycleCoordinator>.Instance, notifier);
            Holds = new BudgetHolds(Cache, Lifecycle, Limits, Store, Time, NullLogger<BudgetHolds>.Instance);
            var limiter = new RateLimiter(Store, Store, new StaticMonitor(options), NullLogger<RateLimiter>.Instance);
            Gateway = new GatewayLimiter(limiter, new TokenEstimator(), Limits, Holds);
        }

        public FakeTimeProvider Time { get; }

        public LocalLimitStore Store { get; }

        public SubjectLimits Limits { get; }

        public InMemoryLifecycleStore LifecycleStore { get; } = new();

        public LifecycleCache Cache { get; }

        public LifecycleCoordinator Lifecycle { get; }

        public BudgetHolds Holds { get; }

        public GatewayLimiter Gateway { get; }

        /// <summary>Records spend for a key (and team) the way a completed request does.</summary>
        public void Spend(string key, string? team, long nanoUsd)
        {
            var decision = Store.TryAcquire(Request(LimitSet.Unlimited, key: key, team: team, teamLimits: LimitSet.Unlimited));
            Assert.True(decision.Allowed);
            Store.Complete(decision.Lease, 0, nanoUsd);
        }

        /// <summary>Waits for the background placement the limiter started (no timing assertion: it only bounds the wait).</summary>
        public async Task WaitForHoldAsync(string key)
        {
            for (var i = 0; i < 1000 && !Holds.TryGetHold(key, null, out _); i++)
            {
                await Task.Delay(5, TestContext.Current.CancellationToken);
            }

            Assert.True(Holds.TryGetHold(key, null, out _), "the budget hold was not placed");
        }
    }

    // Holds the first announcement until the test opens the gate; later ones pass at once.
    private sealed class GatedNotifier : IChangeNotifier
    {
        private int _calls;

        public TaskCompletionSource Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask<bool> PublishAsync(ChangeNotification change, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                Held.SetResult();
                await Gate.Task.ConfigureAwait(false);
            }

            return true;
        }

        public IDisposable Subscribe(Action<ChangeNotification> handler) => throw new NotSupportedException();
    }

    private sealed class StaticMonitor(LimitsOptions value) : IOptionsMonitor<LimitsOptions>
    {
        public LimitsOptions CurrentValue => value;

        public LimitsOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<LimitsOptions, string?> listener) => null;
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Collections.Concurrent;
using Charter.Accounting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Charter.Tests.Accounting;

public sealed class SubjectLimitsTests
{
    private static readonly LimitsOptions Defaults = new()
    {
        KeyDefaults = new LimitSet { DailyBudgetUsd = 1m },
        TeamDefaults = new LimitSet { MonthlyBudgetUsd = 100m },
    };

    [Fact]
    public void ForKey_NoOwnLimits_ReturnsConfiguredDefaults()
    {
        var limits = new SubjectLimits(new StaticMonitor(Defaults));

        Assert.Equal(1m, limits.ForKey("k1").DailyBudgetUsd);
        Assert.Equal(100m, limits.ForTeam("t1").MonthlyBudgetUsd);
        Assert.False(limits.HasOwn(LimitScope.Key, "k1"));
    }

    [Fact]
    public async Task SetAsync_OwnLimitsThenNull_AppliesToThatSubjectOnlyThenDefaultsAgain()
    {
        var limits = new SubjectLimits(new StaticMonitor(Defaults));

        await limits.SetAsync(LimitScope.Key, "k1", new LimitSet { DailyBudgetUsd = 5m }, TestContext.Current.CancellationToken);
        var own = limits.ForKey("k1").DailyBudgetUsd;
        var other = limits.ForKey("k2").DailyBudgetUsd;
        await limits.SetAsync(LimitScope.Key, "k1", null, TestContext.Current.CancellationToken);

        Assert.Equal(5m, own);
        Assert.Equal(1m, other);
        Assert.Equal(1m, limits.ForKey("k1").DailyBudgetUsd);
    }

    [Fact]
    public void For_WithOwnFlag_PairsEachSetWithWhetherItIsOwn()
    {
        var limits = new SubjectLimits(new StaticMonitor(Defaults));

        limits.Set(LimitScope.Team, "t1", new LimitSet { RequestsPerMinute = 7 });
        var set = limits.For(LimitScope.Team, "t1", out var own);
        limits.Set(LimitScope.Team, "t1", null);
        var reset = limits.For(LimitScope.Team, "t1", out var ownAfterReset);
        var key = limits.For(LimitScope.Key, "t1", out var keyOwn);

        Assert.True(own);
        Assert.Equal(7, set.RequestsPerMinute);
        Assert.False(ownAfterReset);
        Assert.Equal(0, reset.RequestsPerMinute);
        Assert.Equal(100m, reset.MonthlyBudgetUsd);
        Assert.False(keyOwn);
        Assert.Equal(1m, key.DailyBudgetUsd);
    }

    [Fact]
    public async Task SetAsync_SharedStore_OtherInstanceAppliesItAfterTheChangeNotification()
    {
        var store = new MemoryOverrideStore();
        var bus = new LocalChangeNotifier(NullLogger<LocalChangeNotifier>.Instance);
        var a = new SubjectLimits(new StaticMonitor(Defaults), store, bus);
        var b = new SubjectLimits(new StaticMonitor(Defaults), store, bus);
        using var sync = new SubjectLimitsSyncService(b, bus, NullLogger<SubjectLimitsSyncService>.Instance);
        await sync.StartAsync(TestContext.Current.CancellationToken);

        Assert.True(await a.SetAsync(LimitScope.Team, "t1", new LimitSet { MonthlyBudgetUsd = 250m }, TestContext.Current.CancellationToken));
        for (var i = 0; i < 1000 && b.ForTeam("t1").MonthlyBudgetUsd != 250m; i++)
        {
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }

        Assert.Equal(250m, b.ForTeam("t1").MonthlyBudgetUsd);
        Assert.True(b.HasOwn(LimitScope.Team, "t1"));
    }

    [Fact]
    public async Task StartAsync_SharedStoreHasLimits_LoadsThem()
    {
        var store = new MemoryOverrideStore();
        await store.SaveAsync(LimitScope.Key, "k9", new LimitSet { RequestsPerMinute = 7 }, TestContext.Current.CancellationToken);
        var limits = new SubjectLimits(new StaticMonitor(Defaults), store);
        using var sync = new SubjectLimitsSyncService(limits, new LocalChangeNotifier(NullLogger<LocalChangeNotifier>.Instance), NullLogger<SubjectLimitsSyncService>.Instance);

        await sync.StartAsync(TestContext.Current.CancellationToken);

        Assert.Equal(7, limits.ForKey("k9").RequestsPerMinute);
        Assert.Equal(0m, limits.ForKey("k9").DailyBudgetUsd);
    }

    [Fact]
    public async Task ReloadAsync_LocalChangeSavedWhileReading_KeepsTheChangeAndReportsNotApplied()
    {
        var store = new MemoryOverrideStore { HoldReads = new(TaskCreationOptions.RunContinuationsAsynchronously) };
        var limits = new SubjectLimits(new StaticMonitor(Defaults), store);

        var reload = limits.ReloadAsync(TestContext.Current.CancellationToken);
        await store.ReadStarted.Task;
        Assert.True(await limits.SetAsync(LimitScope.Key, "k1", new LimitSet { RequestsPerMinute = 2 }, TestContext.Current.CancellationToken));
        store.HoldReads.SetResult();

        Assert.False(await reload);
        Assert.Equal(2, limits.ForKey("k1").RequestsPerMinute);
        Assert.True(await limits.ReloadAsync(TestContext.Current.CancellationToken));
        Assert.Equal(2, limits.ForKey("k1").RequestsPerMinute);
    }

    [Fact]
    public async Task ReloadAsync_OneSubjectWhileALocalChangeIsSaved_KeepsTheChangeAndReportsNotApplied()
    {
        var store = new MemoryOverrideStore { HoldReads = new(TaskCreationOptions.RunContinuationsAsynchronously) };
        var limits = new SubjectLimits(new StaticMonitor(Defaults), store);

        var reload = limits.ReloadAsync(LimitScope.Team, "t1", TestContext.Current.CancellationToken);
        await store.ReadStarted.Task;
        Assert.True(await limits.SetAsync(LimitScope.Team, "t1", new LimitSet { MonthlyBudgetUsd = 7m }, TestContext.Current.CancellationToken));
        store.HoldReads.SetResult();

        Assert.False(await reload);
        Assert.Equal(7m, limits.ForTeam("t1").MonthlyBudgetUsd);
        Assert.True(limits.HasOwn(LimitScope.Team, "t1"));
    }

    [Fact]
    public async Task SetAsync_ReloadReadsAndAppliesWhileTheSaveIsInFlight_ChangeStillHoldsAfterwards()
    {
        // What a CI run caught on PostgreSQL: another change moved the change version, the sync reloaded every limit after
        // this Set but before its save committed, and the PUT's answer showed the old (no) limit.
        var store = new MemoryOverrideStore { HoldSaves = new(TaskCreationOptions.RunContinuationsAsynchronously) };
        var limits = new SubjectLimits(new StaticMonitor(Defaults), store);

        var set = limits.SetAsync(LimitScope.Key, "k1", new LimitSet { RequestsPerMinute = 2 }, TestContext.Current.CancellationToken);
        await store.SaveStarted.Task;
        Assert.True(await limits.ReloadAsync(TestContext.Current.CancellationToken)); // read before the save: nothing for k1
        Assert.False(limits.HasOwn(LimitScope.Key, "k1"));
        store.HoldSaves.SetResult();

        Assert.True(await set);
        Assert.Equal(2, limits.ForKey("k1").RequestsPerMinute);
        Assert.True(limits.HasOwn(LimitScope.Key, "k1"));
    }

    [Fact]
    public async Task ReloadAsync_NoLocalChange_AppliesWhatTheStoreHolds()
    {
        var store = new MemoryOverrideStore();
        var limits = new SubjectLimits(new StaticMonitor(Defaults), store);
        limits.Set(LimitScope.Key, "k1", new LimitSet { RequestsPerMinute = 3 });
        await store.SaveAsync(LimitScope.Key, "k2", new LimitSet { RequestsPerMinute = 4 }, TestContext.Current.CancellationToken);

        Assert.True(await limits.ReloadAsync(TestContext.Current.CancellationToken));

        Assert.False(limits.HasOwn(LimitScope.Key, "k1"));
        Assert.Equal(4, limits.ForKey("k2").RequestsPerMinute);
    }

    private sealed class MemoryOverrideStore : ILimitOverrideStore
    {
        private readonly ConcurrentDictionary<(LimitScope, string), LimitSet> _saved = new();

        public async ValueTask<bool> SaveAsync(LimitScope scope, string id, LimitSet? limits, CancellationToken cancellationToken = default)
        {
            SaveStarted.TrySetResult();
            if (HoldSaves is { } hold)
            {
                await hold.Task; // the save has not committed yet: reads still see what was there before
            }

            if (limits is null)
            {
                _saved.TryRemove((scope, id), out _);
            }
            else
            {
                _saved[(scope, id)] = limits;
            }

            return true;
        }

        /// <summary>When set, saves wait for it before they commit.</summary>
        public TaskCompletionSource? HoldSaves { get; set; }

        public TaskCompletionSource SaveStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>When set, reads take their snapshot, then wait for it: what the store held before a concurrent save.</summary>
        public TaskCompletionSource? HoldReads { get; set; }

        public TaskCompletionSource ReadStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask<LimitSet?> LoadAsync(LimitScope scope, string id, CancellationToken cancellationToken = default)
        {
            var snapshot = _saved.TryGetValue((scope, id), out var l) ? l : null;
            await HoldAsync();
            return snapshot;
        }

        public async ValueTask<IReadOnlyList<(LimitScope Scope, string Id, LimitSet Limits)>> LoadAllAsync(CancellationToken cancellationToken = default)
        {
            IReadOnlyList<(LimitScope, string, LimitSet)> snapshot = [.. _saved.Select(kv => (kv.Key.Item1, kv.Key.Item2, kv.Value))];
            await HoldAsync();
            return snapshot;
        }

        private async Task HoldAsync()
        {
            ReadStarted.TrySetResult();
            if (HoldReads is { } hold)
            {
                await hold.Task;
            }
        }
    }

    private sealed class StaticMonitor(LimitsOptions value) : IOptionsMonitor<LimitsOptions>
    {
        public LimitsOptions CurrentValue => value;

        public LimitsOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<LimitsOptions, string?> listener) => null;
    }
}

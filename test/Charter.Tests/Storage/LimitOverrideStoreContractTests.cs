// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Accounting;
using Charter.Storage;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Charter.Tests.Storage;

/// <summary>The behaviour every database <see cref="DatabaseLimitOverrideStore"/> must have; run once per back-end by the subclasses.</summary>
public abstract class LimitOverrideStoreContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 10, 5, 8, 30, 0, 250, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(T0);
    private IGatewayStore? _gateway;
    private DatabaseLimitOverrideStore? _store;

    protected static LimitsOptions Defaults { get; } = new()
    {
        KeyDefaults = new LimitSet { RequestsPerMinute = 60, TokensPerMinute = 1000, MaxConcurrentRequests = 4, DailyBudgetUsd = 1m, MonthlyBudgetUsd = 20m },
        TeamDefaults = new LimitSet { MonthlyBudgetUsd = 500m },
    };

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IGatewayStore Gateway => _gateway!;

    private DatabaseLimitOverrideStore Store => _store!;

    public async ValueTask InitializeAsync()
    {
        (_gateway, _store) = await CreateAsync(new StaticMonitor(Defaults), _time);
        await _gateway.MigrateAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await DisposeStoresAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Creates a gateway store and a limit store over this test's own database (repeated calls reach the same one).</summary>
    protected abstract Task<(IGatewayStore Gateway, DatabaseLimitOverrideStore Limits)> CreateAsync(IOptionsMonitor<LimitsOptions>? options, TimeProvider time);

    /// <summary>Releases every store created and deletes the database.</summary>
    protected abstract ValueTask DisposeStoresAsync();

    [Fact]
    public async Task PutAsync_SomeFieldsNull_GetReturnsTheRowAsWritten()
    {
        await Store.PutAsync(new OwnLimits(LimitScope.Key, "k1", RequestsPerMinute: 2, DailyBudgetUsd: 0.125m), Ct);

        var row = await Store.GetAsync(LimitScope.Key, "k1", Ct);

        Assert.Equal(new OwnLimits(LimitScope.Key, "k1", 2, null, null, 0.125m, null, T0), row);
    }

    [Fact]
    public async Task PutAsync_EveryField_ExactValuesRoundTrip()
    {
        var full = new OwnLimits(LimitScope.Team, "t1", 3, 400, 2, 12345.678901234m, 0m);

        await Store.PutAsync(full, Ct);

        Assert.Equal(full with { UpdatedAt = T0 }, await Store.GetAsync(LimitScope.Team, "t1", Ct));
    }

    [Fact]
    public async Task PutAsync_Twice_ReplacesTheRowAndUpdatesTime()
    {
        await Store.PutAsync(new OwnLimits(LimitScope.Key, "k1", RequestsPerMinute: 2, TokensPerMinute: 9), Ct);
        _time.Advance(TimeSpan.FromMinutes(5));

        await Store.PutAsync(new OwnLimits(LimitScope.Key, "k1", MonthlyBudgetUsd: 7m), Ct);

        var row = Assert.Single(await Store.ListAsync(Ct));
        Assert.Equal(new OwnLimits(LimitScope.Key, "k1", MonthlyBudgetUsd: 7m, UpdatedAt: T0.AddMinutes(5)), row);
    }

    [Fact]
    public async Task PutAsync_SameIdAsKeyAndTeam_KeptApart()
    {
        await Store.PutAsync(new OwnLimits(LimitScope.Key, "x", RequestsPerMinute: 1), Ct);
        await Store.PutAsync(new OwnLimits(LimitScope.Team, "x", RequestsPerMinute: 2), Ct);

        Assert.Equal(1, (await Store.GetAsync(LimitScope.Key, "x", Ct))?.RequestsPerMinute);
        Assert.Equal(2, (await Store.GetAsync(LimitScope.Team, "x", Ct))?.RequestsPerMinute);
        Assert.Equal(2, (await Store.ListAsync(Ct)).Count);
    }

    [Fact]
    public async Task PutAndDelete_EachChange_BumpsTheChangeVersion()
    {
        var v0 = await Gateway.GetChangeVersionAsync(Ct);

        await Store.PutAsync(new OwnLimits(LimitScope.Key, "k1", RequestsPerMinute: 2), Ct);
        var v1 = await Gateway.GetChangeVersionAsync(Ct);
        Assert.True(await Store.DeleteAsync(LimitScope.Key, "k1", Ct));
        var v2 = await Gateway.GetChangeVersionAsync(Ct);

        Assert.True(v1 > v0);
        Assert.True(v2 > v1);
    }

    [Fact]
    public async Task DeleteAsync_NoRow_ReturnsFalseAndKeepsTheChangeVersion()
    {
        var v0 = await Gateway.GetChangeVersionAsync(Ct);

        Assert.False(await Store.DeleteAsync(LimitScope.Team, "nobody", Ct));

        Assert.Equal(v0, await Gateway.GetChangeVersionAsync(Ct));
    }

    [Fact]
    public async Task LoadAsync_NullColumns_FilledFromTheDefaultsOfTheScope()
    {
        await Store.PutAsync(new OwnLimits(LimitScope.Key, "k1", RequestsPerMinute: 2), Ct);
        await Store.PutAsync(new OwnLimits(LimitScope.Team, "t1", DailyBudgetUsd: 3m), Ct);

        var key = await Store.LoadAsync(LimitScope.Key, "k1", Ct);
        var all = await Store.LoadAllAsync(Ct);

        Assert.Equal(Defaults.KeyDefaults with { RequestsPerMinute = 2 }, key);
        Assert.Equal(Defaults.TeamDefaults with { DailyBudgetUsd = 3m }, all.Single(e => e.Scope == LimitScope.Team && e.Id == "t1").Limits);
        Assert.Null(await Store.LoadAsync(LimitScope.Key, "k2", Ct));
    }

    [Fact]
    public async Task SaveAsync_LimitSetThenNull_OtherInstanceLoadsItThenNothing()
    {
        var (_, other) = await CreateAsync(new StaticMonitor(Defaults), _time);
        var limits = new LimitSet { RequestsPerMinute = 3, TokensPerMinute = 400, MaxConcurrentRequests = 2, DailyBudgetUsd = 0.125m, MonthlyBudgetUsd = 7m };

        Assert.True(await Store.SaveAsync(LimitScope.Team, "team-x", limits, Ct));
        var loaded = await other.LoadAsync(LimitScope.Team, "team-x", Ct);
        var all = await other.LoadAllAsync(Ct);
        Assert.True(await Store.SaveAsync(LimitScope.Team, "team-x", null, Ct));
        var removed = await other.LoadAsync(LimitScope.Team, "team-x", Ct);

        Assert.Equal(limits, loaded);
        Assert.Equal((LimitScope.Team, "team-x", limits), Assert.Single(all));
        Assert.Null(removed);
    }

    [Fact]
    public async Task SubjectLimits_ChangeWrittenByAnotherInstance_SyncServiceAppliesItAfterTheChangeVersionMoves()
    {
        var limits = new SubjectLimits(new StaticMonitor(Defaults), Store);
        var notifier = new LocalChangeNotifier(Microsoft.Extensions.Logging.Abstractions.NullLogger<LocalChangeNotifier>.Instance);
        using var sync = new SubjectLimitsSyncService(limits, notifier, Microsoft.Extensions.Logging.Abstractions.NullLogger<SubjectLimitsSyncService>.Instance, Gateway);
        await sync.StartAsync(Ct);
        var (_, cli) = await CreateAsync(null, _time);

        // Written like the CLI does: straight into the database, no announcement on the change bus.
        await cli.PutAsync(new OwnLimits(LimitScope.Key, "k1", DailyBudgetUsd: 5m), Ct);
        for (var i = 0; i < 500 && !limits.HasOwn(LimitScope.Key, "k1"); i++)
        {
            await Task.Delay(20, Ct);
        }

        await sync.StopAsync(Ct);
        Assert.Equal(Defaults.KeyDefaults with { DailyBudgetUsd = 5m }, limits.ForKey("k1"));
    }

    private sealed class StaticMonitor(LimitsOptions value) : IOptionsMonitor<LimitsOptions>
    {
        public LimitsOptions CurrentValue => value;

        public LimitsOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<LimitsOptions, string?> listener) => null;
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Tests.Common;
using Charter.Keys;
using Charter.Policy.Lifecycle;
using Charter.Storage.Postgres;

namespace Charter.Tests.Storage;

/// <summary>The PostgreSQL lifecycle store on a fresh database per test (<c>CHARTER_TEST_PG</c>).</summary>
public sealed class PostgresLifecycleStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 10, 5, 12, 0, 0, TimeSpan.Zero);
    private PostgresTestDatabase? _database;
    private PostgresGatewayStore? _gateway;
    private PostgresLifecycleStore? _store;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private PostgresGatewayStore Gateway => _gateway!;

    private PostgresLifecycleStore Store => _store!;

    public async ValueTask InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        _gateway = new PostgresGatewayStore(_database.ConnectionString);
        await _gateway.MigrateAsync(Ct);
        _store = new PostgresLifecycleStore(_gateway);
        await _gateway.CreateTeamAsync(new TeamRecord { Id = "t1", Name = "alpha", CreatedAt = T0 }, Ct);
        await _gateway.CreateKeyAsync(
            new ApiKeyRecord { Id = "k1", TeamId = "t1", Hash = [1, 2, 3], Prefix = "ck-1", Purposes = ["testing"], DefaultPurpose = "testing", CreatedAt = T0 }, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task GetAsync_NeverStored_IsNull()
    {
        Assert.Null(await Store.GetAsync(EntityKind.Key, "k1", Ct));
        Assert.Null(await Store.GetAsync(EntityKind.Account, "acct", Ct));
    }

    [Fact]
    public async Task TrySaveAsync_Suspend_RoundTripsLifecycleHistoryAndKeyState()
    {
        var suspended = Suspended(EntityKind.Key, "k1", version: 1);
        var versionBefore = await Gateway.GetChangeVersionAsync(Ct);

        Assert.True(await Store.TrySaveAsync(suspended, Transition(suspended), 0, Ct));

        var stored = await Store.GetAsync(EntityKind.Key, "k1", Ct);
        Assert.NotNull(stored);
        Assert.Equal((LifecycleState.Suspended, LifecycleHolds.Budget, "harvesting", T0.AddDays(7), 1L), (stored.State, stored.Holds, stored.Reason, stored.Deadline, stored.Version));
        Assert.Equal(suspended.Measures, stored.Measures);
        var history = await Store.GetHistoryAsync(EntityKind.Key, "k1", Ct);
        var t = Assert.Single(history);
        Assert.Equal((LifecycleEvent.Suspend, LifecycleState.Active, LifecycleState.Suspended, "admin:ops", 1L), (t.Event, t.From, t.To, t.Actor, t.Version));
        Assert.Equal("suspended", (await Gateway.GetKeyAsync("k1", Ct))?.State);
        Assert.True(await Gateway.GetChangeVersionAsync(Ct) > versionBefore);
    }

    [Fact]
    public async Task TrySaveAsync_StaleVersion_ReturnsFalseAndWritesNothing()
    {
        var first = Suspended(EntityKind.Key, "k1", version: 1);
        Assert.True(await Store.TrySaveAsync(first, Transition(first), 0, Ct));

        var stale = first with { State = LifecycleState.Banned, Version = 2 };
        Assert.False(await Store.TrySaveAsync(stale, Transition(stale), 0, Ct));

        Assert.Equal(LifecycleState.Suspended, (await Store.GetAsync(EntityKind.Key, "k1", Ct))?.State);
        Assert.Single(await Store.GetHistoryAsync(EntityKind.Key, "k1", Ct));
    }

    [Fact]
    public async Task TrySaveAsync_ConcurrentSavesFromSameVersion_ExactlyOneWins()
    {
        var a = Suspended(EntityKind.Account, "acct-1", version: 1);
        var b = a with { State = LifecycleState.Banned };

        var results = await Task.WhenAll(Store.TrySaveAsync(a, Transition(a), 0, Ct).AsTask(), Store.TrySaveAsync(b, Transition(b), 0, Ct).AsTask());

        Assert.Single(results, r => r);
        Assert.Single(await Store.GetHistoryAsync(EntityKind.Account, "acct-1", Ct));
    }

    [Fact]
    public async Task TrySaveAsync_UnknownKey_ReturnsFalse()
    {
        var lc = Suspended(EntityKind.Key, "missing", version: 1);

        Assert.False(await Store.TrySaveAsync(lc, Transition(lc), 0, Ct));
        Assert.Empty(await Store.GetHistoryAsync(EntityKind.Key, "missing", Ct));
    }

    [Fact]
    public async Task GetAsync_StateSetOutsideLifecycle_ReportsStateAtVersionZero()
    {
        await Gateway.SetEntityStateAsync("key", "k1", "revoked", null, Ct);

        var lc = await Store.GetAsync(EntityKind.Key, "k1", Ct);

        Assert.Equal((LifecycleState.Revoked, 0L), (lc!.State, lc.Version));
    }

    [Fact]
    public async Task ListSuspendedDueAsync_ReturnsOnlySuspendedWithDeadlineDue()
    {
        var due = Suspended(EntityKind.Team, "t1", version: 1);
        var later = Suspended(EntityKind.Key, "k1", version: 1) with { Deadline = T0.AddDays(30) };
        var review = Suspended(EntityKind.Account, "acct-1", version: 1) with { State = LifecycleState.UnderReview };
        foreach (var lc in new[] { due, later, review })
        {
            Assert.True(await Store.TrySaveAsync(lc, Transition(lc), 0, Ct));
        }

        var list = await Store.ListSuspendedDueAsync(T0.AddDays(7), Ct);
        var all = await Store.ListAllAsync(Ct);

        Assert.Equal(new[] { "t1" }, list.Select(l => l.Id));
        Assert.Equal(3, all.Count);
    }

    private static EntityLifecycle Suspended(EntityKind kind, string id, long version) => new()
    {
        Kind = kind,
        Id = id,
        State = LifecycleState.Suspended,
        Holds = LifecycleHolds.Budget,
        Reason = "harvesting",
        Measures = [new RemediationMeasure("delete the data set"), new RemediationMeasure("confirm in writing", true, T0, "admin:ops")],
        Deadline = T0.AddDays(7),
        Since = T0,
        Version = version,
    };

    private static LifecycleTransition Transition(EntityLifecycle lc) => new()
    {
        Kind = lc.Kind,
        EntityId = lc.Id,
        Event = LifecycleEvent.Suspend,
        From = LifecycleState.Active,
        To = lc.State,
        HoldsBefore = LifecycleHolds.None,
        HoldsAfter = lc.Holds,
        Actor = "admin:ops",
        Reason = lc.Reason,
        Measures = lc.Measures,
        Deadline = lc.Deadline,
        At = T0,
        Version = lc.Version,
    };
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Keys;
using Charter.Policy;
using Charter.Policy.Lifecycle;
using Charter.Storage.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Charter.Tests.PolicyIntegration;

public sealed class SqliteLifecycleStoreTests : IAsyncLifetime
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "charter-lc-" + Guid.NewGuid().ToString("N")[..12] + ".db");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 10, 5, 9, 0, 0, TimeSpan.Zero));
    private SqliteGatewayStore _gateway = null!;
    private SqliteLifecycleStore _store = null!;

    public async ValueTask InitializeAsync()
    {
        _gateway = new SqliteGatewayStore(_path);
        await _gateway.MigrateAsync();
        _store = new SqliteLifecycleStore(_gateway);
        await _gateway.CreateTeamAsync(new TeamRecord { Id = "team_1", Name = "research", CreatedAt = _time.GetUtcNow() });
        await _gateway.CreateKeyAsync(new ApiKeyRecord
        {
            Id = "key_1", TeamId = "team_1", Hash = new byte[32], Prefix = "ck-x", Purposes = ["testing"], DefaultPurpose = "testing", CreatedAt = _time.GetUtcNow(),
        });
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var f in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(f);
        }

        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task ApplyAsync_Suspend_StoresLifecycleStateColumnHistoryAndBumpsChangeVersion()
    {
        var service = new LifecycleService(_store, _time);
        var before = await _gateway.GetChangeVersionAsync();

        var result = await service.ApplyAsync(EntityKind.Key, "key_1",
            LifecycleCommand.Suspend("admin:alice", "provider notice", ["delete outputs"], _time.GetUtcNow().AddDays(3)));

        Assert.True(result.Succeeded);
        var stored = await _store.GetAsync(EntityKind.Key, "key_1");
        Assert.NotNull(stored);
        Assert.Equal(LifecycleState.Suspended, stored.State);
        Assert.Equal("delete outputs", Assert.Single(stored.Measures).Description);
        Assert.Equal("suspended", (await _gateway.GetKeyAsync("key_1"))!.State);
        var history = Assert.Single(await _store.GetHistoryAsync(EntityKind.Key, "key_1"));
        Assert.Equal(LifecycleEvent.Suspend, history.Event);
        Assert.Equal("admin:alice", history.Actor);
        Assert.True(await _gateway.GetChangeVersionAsync() > before);
    }

    [Fact]
    public async Task TrySaveAsync_StaleExpectedVersion_WritesNothing()
    {
        var service = new LifecycleService(_store, _time);
        await service.ApplyAsync(EntityKind.Team, "team_1", LifecycleCommand.Review("admin:alice", "finding"));
        var current = (await _store.GetAsync(EntityKind.Team, "team_1"))!;
        var next = LifecycleMachine.Apply(current, LifecycleCommand.Ban("admin:bob", "confirmed"), _time.GetUtcNow());

        var saved = await _store.TrySaveAsync(next.Lifecycle, next.Transition!, expectedVersion: 0);

        Assert.False(saved);
        Assert.Equal(LifecycleState.UnderReview, (await _store.GetAsync(EntityKind.Team, "team_1"))!.State);
        Assert.Single(await _store.GetHistoryAsync(EntityKind.Team, "team_1"));
    }

    [Fact]
    public async Task ExpireDeadlinesAsync_PastDeadlineWithOpenMeasures_BansAndListsNothingAfterwards()
    {
        var service = new LifecycleService(_store, _time);
        await service.ApplyAsync(EntityKind.Account, "openai-main", LifecycleCommand.Suspend("admin:alice", "notice", ["audit"], _time.GetUtcNow().AddDays(1)));
        Assert.Empty(await _store.ListSuspendedDueAsync(_time.GetUtcNow()));

        _time.Advance(TimeSpan.FromDays(2));
        var made = await service.ExpireDeadlinesAsync();

        var t = Assert.Single(made);
        Assert.Equal(LifecycleState.Banned, t.To);
        Assert.Equal(LifecycleState.Banned, (await _store.GetAsync(EntityKind.Account, "openai-main"))!.State);
        Assert.Empty(await _store.ListSuspendedDueAsync(_time.GetUtcNow()));
        Assert.Contains(await _store.ListAllAsync(), lc => lc.Id == "openai-main" && lc.State == LifecycleState.Banned);
    }

    [Fact]
    public async Task GetAsync_KeyRevokedOutsideTheMachine_ReportsRevokedAndRefusesSuspend()
    {
        await _gateway.SetEntityStateAsync("key", "key_1", "revoked", null);
        var service = new LifecycleService(_store, _time);

        var result = await service.ApplyAsync(EntityKind.Key, "key_1", LifecycleCommand.Suspend("admin:alice", "x", [], null));

        Assert.False(result.Succeeded);
        Assert.Equal(LifecycleState.Revoked, (await _store.GetAsync(EntityKind.Key, "key_1"))!.State);
    }

    [Fact]
    public void LifecycleJson_RoundTrip_KeepsEverythingInSnakeCase()
    {
        var lc = new EntityLifecycle
        {
            Kind = EntityKind.Account, Id = "a", State = LifecycleState.UnderReview, Holds = LifecycleHolds.ProviderSuspended | LifecycleHolds.Geo,
            Measures = [new RemediationMeasure("m", true, _time.GetUtcNow(), "admin:x")], Deadline = _time.GetUtcNow(), Version = 4, Reason = "r",
        };

        var json = LifecycleJson.Serialize(lc);
        var back = LifecycleJson.DeserializeLifecycle(json);

        Assert.Contains("\"under_review\"", json, StringComparison.Ordinal);
        Assert.Contains("provider_suspended", json, StringComparison.Ordinal);
        Assert.NotNull(back);
        Assert.Equal(lc.Holds, back.Holds);
        Assert.Equal(lc.State, back.State);
        Assert.Equal(lc.Version, back.Version);
        Assert.Equal(lc.Measures[0], back.Measures[0]);
    }
}

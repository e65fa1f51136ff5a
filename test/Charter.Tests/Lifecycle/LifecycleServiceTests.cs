// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Policy.Lifecycle;
using Microsoft.Extensions.Time.Testing;

namespace Charter.Tests.Lifecycle;

public sealed class LifecycleServiceTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 10, 5, 9, 0, 0, TimeSpan.Zero));
    private readonly InMemoryLifecycleStore _store = new();

    [Fact]
    public async Task ExpireDeadlinesAsync_DeadlinePassesWithMeasuresOpen_Banned()
    {
        var ct = TestContext.Current.CancellationToken;
        var service = new LifecycleService(_store, _time);
        var suspend = LifecycleCommand.Suspend("admin:alice", "OpenAI misuse notice", ["delete generated data set", "written attestation"], _time.GetUtcNow().AddDays(7));
        Assert.True((await service.ApplyAsync(EntityKind.Team, "ml-research", suspend, ct)).Succeeded);
        Assert.True((await service.ApplyAsync(EntityKind.Team, "ml-research", LifecycleCommand.CompleteMeasure("admin:alice", 0), ct)).Succeeded);

        _time.Advance(TimeSpan.FromDays(6));
        Assert.Empty(await service.ExpireDeadlinesAsync(ct));
        Assert.Equal(LifecycleState.Suspended, (await service.GetAsync(EntityKind.Team, "ml-research", ct)).State);

        _time.Advance(TimeSpan.FromDays(1));
        var made = await service.ExpireDeadlinesAsync(ct);

        var t = Assert.Single(made);
        Assert.Equal((LifecycleState.Suspended, LifecycleState.Banned), (t.From, t.To));
        Assert.Equal(_time.GetUtcNow(), t.At);
        Assert.Contains("written attestation", t.Reason, StringComparison.Ordinal);
        Assert.Equal(LifecycleState.Banned, (await service.GetAsync(EntityKind.Team, "ml-research", ct)).State);
        var history = await _store.GetHistoryAsync(EntityKind.Team, "ml-research", ct);
        Assert.Equal([LifecycleEvent.Suspend, LifecycleEvent.CompleteMeasure, LifecycleEvent.DeadlineExpired], history.Select(h => h.Event));
    }

    [Fact]
    public async Task ExpireDeadlinesAsync_ModeOff_StaysSuspended()
    {
        var ct = TestContext.Current.CancellationToken;
        var service = new LifecycleService(_store, _time, new LifecycleOptions { DeadlineExpiry = DeadlineExpiryMode.Off });
        await service.ApplyAsync(EntityKind.Key, "ck-1", LifecycleCommand.Suspend("admin", "x", ["a"], _time.GetUtcNow().AddDays(1)), ct);

        _time.Advance(TimeSpan.FromDays(2));

        Assert.Empty(await service.ExpireDeadlinesAsync(ct));
        Assert.Equal(LifecycleState.Suspended, (await service.GetAsync(EntityKind.Key, "ck-1", ct)).State);
    }

    [Fact]
    public async Task ApplyAsync_AllMeasuresDoneBeforeDeadline_NotBannedAndReinstatable()
    {
        var ct = TestContext.Current.CancellationToken;
        var service = new LifecycleService(_store, _time);
        await service.ApplyAsync(EntityKind.Account, "openai-main", LifecycleCommand.Suspend("upstream", "suspended by provider", ["appeal accepted"], _time.GetUtcNow().AddDays(1)), ct);
        await service.ApplyAsync(EntityKind.Account, "openai-main", LifecycleCommand.CompleteMeasure("admin", 0), ct);

        _time.Advance(TimeSpan.FromDays(2));
        Assert.Empty(await service.ExpireDeadlinesAsync(ct));
        var r = await service.ApplyAsync(EntityKind.Account, "openai-main", LifecycleCommand.Reinstate("admin", "provider restored access"), ct);

        Assert.True(r.Succeeded);
        Assert.True(r.Lifecycle.AccessAllowed);
    }

    [Fact]
    public async Task ApplyAsync_IllegalCommand_NothingStored()
    {
        var ct = TestContext.Current.CancellationToken;
        var service = new LifecycleService(_store, _time);

        var r = await service.ApplyAsync(EntityKind.Key, "ck-9", LifecycleCommand.Reinstate("admin"), ct);

        Assert.False(r.Succeeded);
        Assert.Null(await _store.GetAsync(EntityKind.Key, "ck-9", ct));
        Assert.Empty(await _store.GetHistoryAsync(EntityKind.Key, "ck-9", ct));
    }

    [Fact]
    public async Task TrySaveAsync_StaleVersion_Conflict()
    {
        var ct = TestContext.Current.CancellationToken;
        var e = EntityLifecycle.CreateActive(EntityKind.Key, "k", _time.GetUtcNow());
        var r = LifecycleMachine.Apply(e, LifecycleCommand.Review("admin", "x"), _time.GetUtcNow());

        Assert.True(await _store.TrySaveAsync(r.Lifecycle, r.Transition!, 0, ct));
        Assert.False(await _store.TrySaveAsync(r.Lifecycle, r.Transition!, 0, ct));
        Assert.Single(await _store.GetHistoryAsync(EntityKind.Key, "k", ct));
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Policy.Lifecycle;

namespace Charter.Tests.Lifecycle;

public sealed class LifecycleMachineTests
{
    private static readonly DateTimeOffset _t0 = new(2026, 10, 5, 9, 0, 0, TimeSpan.Zero);

    private static EntityLifecycle Key() => EntityLifecycle.CreateActive(EntityKind.Key, "ck-1", _t0);

    private static EntityLifecycle Apply(EntityLifecycle e, LifecycleCommand c, DateTimeOffset? at = null)
    {
        var r = LifecycleMachine.Apply(e, c, at ?? _t0);
        Assert.True(r.Succeeded, r.Error?.Message);
        return r.Lifecycle;
    }

    [Fact]
    public void Apply_Suspend_RecordsMeasuresDeadlineAndTransition()
    {
        var deadline = _t0.AddDays(14);

        var r = LifecycleMachine.Apply(Key(), LifecycleCommand.Suspend("admin:alice", "provider alleged distillation", ["delete data set", "attest in writing"], deadline), _t0);

        Assert.True(r.Succeeded);
        Assert.Equal(LifecycleState.Suspended, r.Lifecycle.State);
        Assert.Equal(2, r.Lifecycle.OpenMeasureCount);
        Assert.Equal(deadline, r.Lifecycle.Deadline);
        Assert.False(r.Lifecycle.AccessAllowed);
        Assert.Equal(1, r.Lifecycle.Version);
        var t = r.Transition;
        Assert.Equal((LifecycleState.Active, LifecycleState.Suspended, LifecycleEvent.Suspend), (t.From, t.To, t.Event));
        Assert.Equal("admin:alice", t.Actor);
        Assert.Equal("provider alleged distillation", t.Reason);
        Assert.Equal(2, t.Measures.Count);
        Assert.Equal(deadline, t.Deadline);
        Assert.Equal(_t0, t.At);
    }

    [Fact]
    public void Apply_ReinstateWithOpenMeasures_RefusedNamingThem()
    {
        var suspended = Apply(Key(), LifecycleCommand.Suspend("admin", "x", ["delete data set", "attest"], null));

        var r = LifecycleMachine.Apply(suspended, LifecycleCommand.Reinstate("admin"), _t0);

        Assert.False(r.Succeeded);
        Assert.Equal("measures_open", r.Error.Code);
        Assert.Contains("[0] delete data set", r.Error.Message, StringComparison.Ordinal);
        Assert.Same(suspended, r.Lifecycle);
    }

    [Fact]
    public void Apply_CompleteAllMeasuresThenReinstate_Active()
    {
        var e = Apply(Key(), LifecycleCommand.Suspend("admin", "x", ["a", "b"], _t0.AddDays(1)));
        e = Apply(e, LifecycleCommand.CompleteMeasure("admin:bob", 1));
        Assert.Equal(1, e.OpenMeasureCount);
        Assert.Equal("admin:bob", e.Measures[1].CompletedBy);
        e = Apply(e, LifecycleCommand.CompleteMeasure("admin:bob", 0));
        e = Apply(e, LifecycleCommand.Reinstate("admin", "measures verified"));

        Assert.Equal(LifecycleState.Active, e.State);
        Assert.True(e.AccessAllowed);
        Assert.Empty(e.Measures);
        Assert.Null(e.Deadline);
        Assert.Equal(4, e.Version);
    }

    [Fact]
    public void Apply_IllegalEvent_ErrorNamesAllowedEvents()
    {
        var r = LifecycleMachine.Apply(Key(), LifecycleCommand.Reinstate("admin"), _t0);

        Assert.False(r.Succeeded);
        Assert.Equal("illegal_transition", r.Error.Code);
        Assert.Contains("allowed: review, suspend, ban, revoke, place_hold, clear_hold", r.Error.Message, StringComparison.Ordinal);
        Assert.Contains(LifecycleEvent.Suspend, r.Error.AllowedEvents);
    }

    [Fact]
    public void Apply_RevokeTeam_IllegalBecauseKeysOnly()
    {
        var team = EntityLifecycle.CreateActive(EntityKind.Team, "t", _t0);

        var r = LifecycleMachine.Apply(team, LifecycleCommand.Revoke("admin", "x"), _t0);

        Assert.Equal("illegal_transition", r.Error!.Code);
        Assert.DoesNotContain(LifecycleEvent.Revoke, r.Error.AllowedEvents);
    }

    [Fact]
    public void Apply_Banned_EveryEventRefusedAsTerminal()
    {
        var banned = Apply(Key(), LifecycleCommand.Ban("admin", "confirmed extraction"));

        foreach (var e in Enum.GetValues<LifecycleEvent>())
        {
            var r = LifecycleMachine.Apply(banned, new LifecycleCommand { Event = e, Actor = "admin", Reason = "r", Hold = LifecycleHolds.Geo, MeasureIndex = 0 }, _t0);
            Assert.False(r.Succeeded);
            Assert.Empty(r.Error.AllowedEvents);
            Assert.Contains("terminal", r.Error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(LifecycleEvent.Suspend, null)]
    [InlineData(LifecycleEvent.Ban, "  ")]
    [InlineData(LifecycleEvent.Review, "")]
    public void Apply_MissingReason_InvalidCommand(LifecycleEvent e, string? reason)
    {
        var r = LifecycleMachine.Apply(Key(), new LifecycleCommand { Event = e, Actor = "admin", Reason = reason }, _t0);

        Assert.Equal("invalid_command", r.Error!.Code);
    }

    [Fact]
    public void Apply_SuspendWithPastDeadline_InvalidCommand()
    {
        var r = LifecycleMachine.Apply(Key(), LifecycleCommand.Suspend("admin", "x", ["a"], _t0.AddMinutes(-1)), _t0);

        Assert.Equal("invalid_command", r.Error!.Code);
    }

    [Fact]
    public void Apply_Holds_StackAndClearIndependently()
    {
        var e = Apply(Key(), LifecycleCommand.PlaceHold("accounting", LifecycleHolds.Budget, "monthly budget spent"));
        e = Apply(e, LifecycleCommand.PlaceHold("admin", LifecycleHolds.Geo, "travel to unsupported country"));
        Assert.Equal(LifecycleHolds.Budget | LifecycleHolds.Geo, e.Holds);
        Assert.Equal(LifecycleState.Active, e.State);
        Assert.False(e.AccessAllowed);

        e = Apply(e, LifecycleCommand.ClearHold("accounting", LifecycleHolds.Budget));
        Assert.Equal(LifecycleHolds.Geo, e.Holds);
        Assert.False(e.AccessAllowed);

        var again = LifecycleMachine.Apply(e, LifecycleCommand.ClearHold("accounting", LifecycleHolds.Budget), _t0);
        Assert.Equal("hold_not_placed", again.Error!.Code);

        e = Apply(e, LifecycleCommand.ClearHold("admin", LifecycleHolds.Geo));
        Assert.True(e.AccessAllowed);
    }

    [Fact]
    public void Apply_PlaceSameHoldTwice_Refused()
    {
        var e = Apply(Key(), LifecycleCommand.PlaceHold("upstream", LifecycleHolds.ProviderSuspended, "403 account_deactivated"));

        var r = LifecycleMachine.Apply(e, LifecycleCommand.PlaceHold("upstream", LifecycleHolds.ProviderSuspended, "again"), _t0);

        Assert.Equal("hold_already_placed", r.Error!.Code);
    }

    [Fact]
    public void Apply_DeadlineExpiredBeforeDeadline_Refused()
    {
        var e = Apply(Key(), LifecycleCommand.Suspend("admin", "x", ["a"], _t0.AddDays(1)));

        var r = LifecycleMachine.Apply(e, LifecycleCommand.DeadlineExpired(), _t0.AddHours(23));

        Assert.Equal("deadline_not_reached", r.Error!.Code);
    }

    [Fact]
    public void ExpireDeadlines_PastDeadlineWithOpenMeasures_BansOnlyThose()
    {
        var due = Apply(Key(), LifecycleCommand.Suspend("admin", "x", ["delete data"], _t0.AddDays(1)));
        var notYet = Apply(Key() with { Id = "ck-2" }, LifecycleCommand.Suspend("admin", "x", ["a"], _t0.AddDays(3)));
        var done = Apply(Apply(Key() with { Id = "ck-3" }, LifecycleCommand.Suspend("admin", "x", ["a"], _t0.AddDays(1))), LifecycleCommand.CompleteMeasure("admin", 0));
        var active = Key() with { Id = "ck-4" };

        var results = LifecycleMachine.ExpireDeadlines([due, notYet, done, active], _t0.AddDays(2), DeadlineExpiryMode.Ban);

        var r = Assert.Single(results);
        Assert.True(r.Succeeded);
        Assert.Equal("ck-1", r.Lifecycle.Id);
        Assert.Equal(LifecycleState.Banned, r.Lifecycle.State);
        Assert.Equal(LifecycleEvent.DeadlineExpired, r.Transition.Event);
        Assert.Equal("system:deadline", r.Transition.Actor);
        Assert.Contains("delete data", r.Transition.Reason, StringComparison.Ordinal);
        Assert.Empty(LifecycleMachine.ExpireDeadlines([due], _t0.AddDays(2), DeadlineExpiryMode.Off));
    }

    [Theory]
    [InlineData("under_review", LifecycleState.UnderReview)]
    [InlineData("revoked", LifecycleState.Revoked)]
    public void LifecycleNames_RoundTrip(string name, LifecycleState state)
    {
        Assert.Equal(name, state.ToWireName());
        Assert.True(LifecycleNames.TryParseState(name, out var parsed));
        Assert.Equal(state, parsed);
        Assert.True(LifecycleNames.TryParseEvent("complete_measure", out var ev));
        Assert.Equal(LifecycleEvent.CompleteMeasure, ev);
        Assert.True(LifecycleNames.TryParseHold("provider_suspended", out var hold));
        Assert.Equal(LifecycleHolds.ProviderSuspended, hold);
        Assert.True(LifecycleNames.TryParseKind("accounts", out var kind));
        Assert.Equal(EntityKind.Account, kind);
    }
}

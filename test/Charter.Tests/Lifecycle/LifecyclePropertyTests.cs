// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Policy.Lifecycle;
using CsCheck;

namespace Charter.Tests.Lifecycle;

/// <summary>Property tests of the lifecycle state machine over random event sequences (including malformed commands).</summary>
public sealed class LifecyclePropertyTests
{
    private static readonly DateTimeOffset _t0 = new(2026, 10, 5, 9, 0, 0, TimeSpan.Zero);

    private static readonly LifecycleHolds[] _holdChoices =
        [LifecycleHolds.Geo, LifecycleHolds.Budget, LifecycleHolds.ProviderSuspended, LifecycleHolds.None, LifecycleHolds.Geo | LifecycleHolds.Budget];

    /// <summary>The legal (from, event) → to table, written independently of the implementation.</summary>
    private static LifecycleState? Expected(EntityKind kind, LifecycleState from, LifecycleEvent e) => (from, e) switch
    {
        (LifecycleState.Banned or LifecycleState.Revoked, _) => null,
        (LifecycleState.Active, LifecycleEvent.Review) => LifecycleState.UnderReview,
        (LifecycleState.Active or LifecycleState.UnderReview, LifecycleEvent.Suspend) => LifecycleState.Suspended,
        (LifecycleState.Suspended, LifecycleEvent.CompleteMeasure) => LifecycleState.Suspended,
        (LifecycleState.UnderReview or LifecycleState.Suspended, LifecycleEvent.Reinstate) => LifecycleState.Active,
        (_, LifecycleEvent.Ban) => LifecycleState.Banned,
        (_, LifecycleEvent.Revoke) when kind == EntityKind.Key => LifecycleState.Revoked,
        (_, LifecycleEvent.PlaceHold or LifecycleEvent.ClearHold) => from,
        (LifecycleState.Suspended, LifecycleEvent.DeadlineExpired) => LifecycleState.Banned,
        _ => null,
    };

    private static readonly Gen<(LifecycleCommand Command, int AdvanceMinutes)> _step =
        from ev in Gen.Int[0, 8]
        from actorOk in Gen.Int[0, 19]
        from reasonOk in Gen.Int[0, 9]
        from measures in Gen.Int[0, 3]
        from deadlineMinutes in Gen.Int[-60, 60 * 24 * 3]
        from hasDeadline in Gen.Bool
        from index in Gen.Int[-1, 3]
        from hold in Gen.Int[0, _holdChoices.Length - 1]
        from advance in Gen.Int[0, 60 * 24]
        select (new LifecycleCommand
        {
            Event = (LifecycleEvent)ev,
            Actor = actorOk == 0 ? "" : "admin",
            Reason = reasonOk == 0 ? null : "reason",
            Measures = Enumerable.Range(0, measures).Select(i => "measure " + i).ToArray(),
            Deadline = hasDeadline ? _t0.AddMinutes(deadlineMinutes) : null,
            MeasureIndex = index,
            Hold = _holdChoices[hold],
        }, advance);

    private static readonly Gen<(EntityKind Kind, (LifecycleCommand Command, int AdvanceMinutes)[] Steps)> _run =
        from kind in Gen.Int[0, 2]
        from steps in _step.Array[1, 60]
        select ((EntityKind)kind, steps);

    [Fact]
    public void Apply_AnySequence_EveryChangeFollowsTheLegalTable()
    {
        _run.Sample(run =>
        {
            var e = EntityLifecycle.CreateActive(run.Kind, "x", _t0);
            var now = _t0;
            foreach (var (command, advance) in run.Steps)
            {
                now = now.AddMinutes(advance);
                var r = LifecycleMachine.Apply(e, command, now);
                var expected = Expected(run.Kind, e.State, command.Event);
                if (r.Succeeded)
                {
                    Assert.NotNull(expected);
                    Assert.Equal(expected, r.Lifecycle.State);
                    Assert.Equal(e.Version + 1, r.Lifecycle.Version);
                    Assert.Equal((e.State, r.Lifecycle.State, command.Event), (r.Transition.From, r.Transition.To, r.Transition.Event));
                    Assert.Equal(command.Actor, r.Transition.Actor);
                    Assert.Contains(command.Event, LifecycleMachine.AllowedEvents(e));
                }
                else
                {
                    Assert.Same(e, r.Lifecycle);
                    Assert.Equal(LifecycleMachine.AllowedEvents(e), r.Error.AllowedEvents);
                    if (expected is null)
                    {
                        Assert.Equal("illegal_transition", r.Error.Code);
                    }
                }

                e = r.Lifecycle;
            }
        }, iter: 3000);
    }

    [Fact]
    public void Apply_AnySequenceAfterBanOrRevoke_NeverAccessAllowed()
    {
        var gen =
            from run in _run
            from revoke in Gen.Bool
            select (run, revoke);

        gen.Sample(t =>
        {
            var kind = t.revoke ? EntityKind.Key : t.run.Kind;
            var start = EntityLifecycle.CreateActive(kind, "x", _t0);
            var terminal = LifecycleMachine.Apply(start, t.revoke ? LifecycleCommand.Revoke("admin", "r") : LifecycleCommand.Ban("admin", "r"), _t0).Lifecycle;
            Assert.True(terminal.IsTerminal);

            var e = terminal;
            var now = _t0;
            foreach (var (command, advance) in t.run.Steps)
            {
                now = now.AddMinutes(advance);
                var r = LifecycleMachine.Apply(e, command, now);
                Assert.False(r.Succeeded);
                e = r.Lifecycle;
                Assert.False(e.AccessAllowed);
                Assert.False(AccessCheck.Evaluate(kind == EntityKind.Key ? e : null, kind == EntityKind.Team ? e : null, kind == EntityKind.Account ? e : null).IsAllowed);
            }

            Assert.Same(terminal, e);
        }, iter: 1000);
    }

    [Fact]
    public void Apply_AnySequence_HoldsMatchAModelSetAndAccessNeedsActiveAndNoHolds()
    {
        _run.Sample(run =>
        {
            var e = EntityLifecycle.CreateActive(run.Kind, "x", _t0);
            var model = new HashSet<LifecycleHolds>();
            var now = _t0;
            foreach (var (command, advance) in run.Steps)
            {
                now = now.AddMinutes(advance);
                var r = LifecycleMachine.Apply(e, command, now);
                if (r.Succeeded && command.Event == LifecycleEvent.PlaceHold)
                {
                    Assert.True(model.Add(command.Hold));
                }
                else if (r.Succeeded && command.Event == LifecycleEvent.ClearHold)
                {
                    Assert.True(model.Remove(command.Hold));
                }

                e = r.Lifecycle;
                var flags = LifecycleHolds.None;
                foreach (var h in model)
                {
                    flags |= h;
                }

                Assert.Equal(flags, e.Holds);
                Assert.Equal(e.State == LifecycleState.Active && model.Count == 0, e.AccessAllowed);
            }
        }, iter: 3000);
    }

    [Fact]
    public void Apply_ReachingActiveFromSuspended_OnlyWithAllMeasuresDone()
    {
        _run.Sample(run =>
        {
            var e = EntityLifecycle.CreateActive(run.Kind, "x", _t0);
            var now = _t0;
            foreach (var (command, advance) in run.Steps)
            {
                now = now.AddMinutes(advance);
                var r = LifecycleMachine.Apply(e, command, now);
                if (r.Succeeded && e.State == LifecycleState.Suspended && r.Lifecycle.State == LifecycleState.Active)
                {
                    Assert.Equal(0, e.OpenMeasureCount);
                }

                if (r.Succeeded && command.Event == LifecycleEvent.DeadlineExpired)
                {
                    Assert.True(now >= e.Deadline);
                    Assert.True(e.OpenMeasureCount > 0);
                }

                e = r.Lifecycle;
            }
        }, iter: 3000);
    }
}

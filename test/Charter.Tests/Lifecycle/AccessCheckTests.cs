// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Policy;
using Charter.Policy.Lifecycle;

namespace Charter.Tests.Lifecycle;

public sealed class AccessCheckTests
{
    private static readonly DateTimeOffset _t0 = new(2026, 10, 5, 9, 0, 0, TimeSpan.Zero);

    private static EntityLifecycle Active(EntityKind kind, string id) => EntityLifecycle.CreateActive(kind, id, _t0);

    private static EntityLifecycle With(EntityLifecycle e, LifecycleCommand c)
    {
        var r = LifecycleMachine.Apply(e, c, _t0);
        Assert.True(r.Succeeded, r.Error?.Message);
        return r.Lifecycle;
    }

    [Fact]
    public void Evaluate_AllActiveOrUnknown_Allowed()
    {
        Assert.True(AccessCheck.Evaluate(Active(EntityKind.Key, "k"), Active(EntityKind.Team, "t"), Active(EntityKind.Account, "a")).IsAllowed);
        Assert.True(AccessCheck.Evaluate(null, null, null).IsAllowed);
    }

    [Fact]
    public void Evaluate_TeamSuspended_KeyBlockedWithOpenMeasuresNamed()
    {
        var team = With(Active(EntityKind.Team, "ml-research"), LifecycleCommand.Suspend("admin", "provider notice 2026-10-01", ["delete scraped outputs", "training on policy"], _t0.AddDays(30)));
        team = With(team, LifecycleCommand.CompleteMeasure("admin", 1));

        var d = AccessCheck.Evaluate(Active(EntityKind.Key, "k"), team, null);

        Assert.False(d.IsAllowed);
        Assert.Equal(PolicyDenyCodes.TeamSuspended, d.Code);
        Assert.Equal(EntityKind.Team, d.BlockedBy);
        Assert.Contains("provider notice 2026-10-01", d.Message, StringComparison.Ordinal);
        Assert.Contains("[0] delete scraped outputs", d.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("training on policy", d.Message, StringComparison.Ordinal);
        Assert.Contains("Deadline: 2026-11-04T09:00:00Z", d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(LifecycleEvent.Suspend, PolicyDenyCodes.KeySuspended)]
    [InlineData(LifecycleEvent.Review, PolicyDenyCodes.KeySuspended)]
    [InlineData(LifecycleEvent.Ban, PolicyDenyCodes.KeyBanned)]
    [InlineData(LifecycleEvent.Revoke, PolicyDenyCodes.KeyRevoked)]
    public void Evaluate_KeyState_DenyCode(LifecycleEvent e, string code)
    {
        var key = With(Active(EntityKind.Key, "k"), new LifecycleCommand { Event = e, Actor = "admin", Reason = "because" });

        var d = AccessCheck.Evaluate(key, Active(EntityKind.Team, "t"), null);

        Assert.Equal(code, d.Code);
        Assert.Equal(EntityKind.Key, d.BlockedBy);
        Assert.Contains("because", d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(LifecycleHolds.Geo, PolicyDenyCodes.JurisdictionDenied)]
    [InlineData(LifecycleHolds.Budget, PolicyDenyCodes.BudgetExceeded)]
    [InlineData(LifecycleHolds.ProviderSuspended, PolicyDenyCodes.ProviderUnavailable)]
    public void Evaluate_Holds_DenyCode(LifecycleHolds hold, string code)
    {
        var key = With(Active(EntityKind.Key, "k"), LifecycleCommand.PlaceHold("system", hold, "why"));
        var account = With(Active(EntityKind.Account, "a"), LifecycleCommand.PlaceHold("system", hold, "why"));

        Assert.Equal(code, AccessCheck.Evaluate(key, null, null).Code);
        var accountDecision = AccessCheck.Evaluate(null, null, account);
        Assert.Equal(code, accountDecision.Code);
        Assert.Equal(EntityKind.Account, accountDecision.BlockedBy);
    }

    [Fact]
    public void Evaluate_AccountSuspended_ProviderUnavailable()
    {
        var account = With(Active(EntityKind.Account, "openai-main"), LifecycleCommand.Suspend("upstream", "OpenAI suspended the account", [], null));

        var d = AccessCheck.Evaluate(Active(EntityKind.Key, "k"), null, account);

        Assert.Equal(PolicyDenyCodes.ProviderUnavailable, d.Code);
        Assert.Contains("openai-main", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_KeyAndTeamBothBlocked_KeyReportedFirst()
    {
        var key = With(Active(EntityKind.Key, "k"), LifecycleCommand.Ban("admin", "x"));
        var team = With(Active(EntityKind.Team, "t"), LifecycleCommand.Suspend("admin", "y", [], null));

        Assert.Equal(PolicyDenyCodes.KeyBanned, AccessCheck.Evaluate(key, team, null).Code);
    }

    [Fact]
    public void Evaluate_Allowed_AllocatesNothing()
    {
        var key = Active(EntityKind.Key, "k");
        var team = Active(EntityKind.Team, "t");
        AccessCheck.Evaluate(key, team, null);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var allowed = 0;
        for (var i = 0; i < 1000; i++)
        {
            allowed += AccessCheck.Evaluate(key, team, null).IsAllowed ? 1 : 0;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1000, allowed);
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text;

namespace Charter.Policy.Lifecycle;

/// <summary>Combines key, team and provider-account lifecycles into one access decision.</summary>
/// <remarks>
/// Order (first match wins): key state (revoked, banned, suspended/under review), team state, key holds, team holds,
/// account state, account holds. Account problems come last and carry <see cref="EntityKind.Account"/> so the router can
/// try another account. A team's suspension blocks its keys without changing their own state.
/// Allocation-free when access is allowed; a denial formats its message.
/// </remarks>
public static class AccessCheck
{
    /// <summary>Evaluates access; a null lifecycle means "never changed" (active, no holds).</summary>
    public static AccessDecision Evaluate(EntityLifecycle? key, EntityLifecycle? team, EntityLifecycle? account)
    {
        if (key is not null && key.State != LifecycleState.Active)
        {
            return key.State switch
            {
                LifecycleState.Revoked => Deny(PolicyDenyCodes.KeyRevoked, key, "is revoked"),
                LifecycleState.Banned => Deny(PolicyDenyCodes.KeyBanned, key, "is permanently banned"),
                LifecycleState.UnderReview => Deny(PolicyDenyCodes.KeySuspended, key, "is under review"),
                _ => Deny(PolicyDenyCodes.KeySuspended, key, "is suspended"),
            };
        }

        if (team is not null && team.State != LifecycleState.Active)
        {
            return team.State switch
            {
                LifecycleState.Banned => Deny(PolicyDenyCodes.TeamSuspended, team, "is permanently banned"),
                LifecycleState.UnderReview => Deny(PolicyDenyCodes.TeamSuspended, team, "is under review"),
                _ => Deny(PolicyDenyCodes.TeamSuspended, team, "is suspended"),
            };
        }

        if (key is not null && key.Holds != LifecycleHolds.None)
        {
            return HoldDenial(key);
        }

        if (team is not null && team.Holds != LifecycleHolds.None)
        {
            return HoldDenial(team);
        }

        if (account is not null && account.State != LifecycleState.Active)
        {
            var what = account.State switch
            {
                LifecycleState.Banned => "is permanently banned",
                LifecycleState.UnderReview => "is under review",
                _ => "is suspended",
            };
            return Deny(PolicyDenyCodes.ProviderUnavailable, account, what);
        }

        if (account is not null && account.Holds != LifecycleHolds.None)
        {
            return HoldDenial(account);
        }

        return AccessDecision.Allowed;
    }

    private static AccessDecision HoldDenial(EntityLifecycle entity)
    {
        var holds = entity.Holds;
        var (code, what) = (holds & LifecycleHolds.ProviderSuspended) != 0 ? (PolicyDenyCodes.ProviderUnavailable, "has a provider_suspended hold")
            : (holds & LifecycleHolds.Geo) != 0 ? (PolicyDenyCodes.JurisdictionDenied, "has a geo hold")
            : (PolicyDenyCodes.BudgetExceeded, "has a budget hold");
        return Deny(code, entity, what);
    }

    private static AccessDecision Deny(string code, EntityLifecycle entity, string what)
    {
        var message = new StringBuilder();
        message.Append(Noun(entity.Kind)).Append(" '").Append(entity.Id).Append("' ").Append(what);
        if (!string.IsNullOrWhiteSpace(entity.Reason))
        {
            message.Append(": ").Append(entity.Reason);
        }

        message.Append('.');
        if (entity.State == LifecycleState.Suspended && entity.OpenMeasureCount > 0)
        {
            message.Append(" Open remediation measures: ").Append(LifecycleMachine.OpenMeasures(entity)).Append('.');
        }

        if (entity.State == LifecycleState.Suspended && entity.Deadline is { } deadline)
        {
            message.Append(" Deadline: ").Append(LifecycleMachine.Format(deadline)).Append('.');
        }

        return new AccessDecision(code, message.ToString(), entity.Kind);
    }

    private static string Noun(EntityKind kind) => kind switch
    {
        EntityKind.Key => "Key",
        EntityKind.Team => "Team",
        _ => "Provider account",
    };
}

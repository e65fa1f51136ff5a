// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy;

/// <summary>The machine-readable codes a policy or lifecycle denial carries (the OpenAI error `code`).</summary>
public static class PolicyDenyCodes
{
    /// <summary>An organization rule or provider term denies the request.</summary>
    public const string PolicyDenied = "charter_policy_denied";

    /// <summary>The caller's jurisdiction is not in the provider's allow-list, or a geo hold applies.</summary>
    public const string JurisdictionDenied = "charter_jurisdiction_denied";

    /// <summary>The declared purpose is not one the organization recognises (or none was declared).</summary>
    public const string PurposeUnknown = "charter_purpose_unknown";

    /// <summary>The key is not granted the declared purpose (checked by the gateway against the key record).</summary>
    public const string PurposeNotGranted = "charter_purpose_not_granted";

    /// <summary>The key is suspended or under review.</summary>
    public const string KeySuspended = "charter_key_suspended";

    /// <summary>The key is permanently banned.</summary>
    public const string KeyBanned = "charter_key_banned";

    /// <summary>The key is revoked.</summary>
    public const string KeyRevoked = "charter_key_revoked";

    /// <summary>The key's team is suspended, under review or banned.</summary>
    public const string TeamSuspended = "charter_team_suspended";

    /// <summary>The provider account is not usable (suspended, banned, or a provider-suspended hold).</summary>
    public const string ProviderUnavailable = "charter_provider_unavailable";

    /// <summary>A budget hold applies.</summary>
    public const string BudgetExceeded = "charter_budget_exceeded";
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Errors;
using Charter.Keys;
using Charter.Routing;

namespace Charter.Forwarding;

/// <summary>The authorizer used without a policy directory: key and team state, granted purposes and model allow-list.</summary>
public sealed class BasicRequestAuthorizer : IRequestAuthorizer
{
    /// <inheritdoc/>
    public string PolicyVersion => "none";

    /// <inheritdoc/>
    public GateDecision CheckAccess(ApiKeyRecord key, TeamRecord? team, string purpose) => Check(key, team, purpose);

    /// <inheritdoc/>
    public GateDecision CheckTarget(ApiKeyRecord key, string purpose, RouteTarget target, string model, in ParsedRequest request) => GateDecision.Allow;

    /// <inheritdoc/>
    public void ReportUpstreamRefusal(RouteTarget target, int status, ReadOnlySpan<byte> body)
    {
    }

    /// <summary>The checks every authorizer starts with.</summary>
    public static GateDecision Check(ApiKeyRecord key, TeamRecord? team, string purpose)
    {
        ArgumentNullException.ThrowIfNull(key);
        switch (key.State)
        {
            case "revoked":
                return GateDecision.Deny(CharterError.KeyRevoked, "Incorrect API key provided: the key has been revoked.");
            case "banned":
                return GateDecision.Deny(CharterError.KeyBanned, $"The key {key.Id} is permanently banned.");
            case "suspended":
            case "under_review":
                return GateDecision.Deny(CharterError.KeySuspended, $"The key {key.Id} is {key.State.Replace('_', ' ')}.");
        }

        if (team is not null && team.State is "suspended" or "banned" or "under_review")
        {
            return GateDecision.Deny(CharterError.TeamSuspended, $"The team {team.Name} is {team.State.Replace('_', ' ')}.");
        }

        var granted = false;
        foreach (var p in key.Purposes)
        {
            if (string.Equals(p, purpose, StringComparison.Ordinal))
            {
                granted = true;
                break;
            }
        }

        return granted
            ? GateDecision.Allow
            : GateDecision.Deny(CharterError.PurposeNotGranted, $"The key {key.Id} is not granted the purpose '{purpose}' (granted: {string.Join(", ", key.Purposes)}).", "key.purposes");
    }
}

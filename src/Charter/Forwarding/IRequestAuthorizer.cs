// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Keys;
using Charter.Routing;

namespace Charter.Forwarding;

/// <summary>Decides, before anything leaves, whether a key may send this request for this purpose to a target.</summary>
public interface IRequestAuthorizer
{
    /// <summary>Content hash of the policy in force.</summary>
    string PolicyVersion { get; }

    /// <summary>Checks the key's and team's lifecycle and the declared purpose (independent of the target).</summary>
    GateDecision CheckAccess(ApiKeyRecord key, TeamRecord? team, string purpose);

    /// <summary>Checks policy (provider terms, organisation rules, account lifecycle) for one target.</summary>
    GateDecision CheckTarget(ApiKeyRecord key, string purpose, RouteTarget target, string model, in ParsedRequest request);

    /// <summary>Reports an upstream answer that may name a suspended account (401/403 with such a message).</summary>
    void ReportUpstreamRefusal(RouteTarget target, int status, ReadOnlySpan<byte> body);
}

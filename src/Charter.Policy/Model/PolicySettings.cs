// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy.Model;

/// <summary>Organization-wide settings (`settings:` in the organization document).</summary>
internal sealed record PolicySettings
{
    /// <summary>Effect when no organization rule matches. Default: deny.</summary>
    public PolicyEffect DefaultEffect { get; init; } = PolicyEffect.Deny;

    /// <summary>Message for the default effect.</summary>
    public string DefaultMessage { get; init; } = "No organization rule permits this request.";

    /// <summary>When true, a request with no jurisdiction is denied by any provider with a jurisdiction allow-list. Default: false.</summary>
    public bool RequireJurisdiction { get; init; }
}

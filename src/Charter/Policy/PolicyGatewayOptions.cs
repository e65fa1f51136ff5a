// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy;

/// <summary>Gateway-side policy and lifecycle settings (configuration section <c>Policy</c>).</summary>
public sealed class PolicyGatewayOptions
{
    /// <summary>Watch the policy directory and hot-reload it. Default true.</summary>
    public bool Watch { get; set; } = true;

    /// <summary>What the deadline sweep does: <c>ban</c> (default) or <c>off</c>.</summary>
    public string DeadlineExpiry { get; set; } = "ban";

    /// <summary>Seconds between deadline sweeps. Default 30.</summary>
    public int SweepSeconds { get; set; } = 30;

    /// <summary>Upstream 401/403 answers naming a suspended account within <see cref="RefusalWindowSeconds"/> that place the
    /// <c>provider_suspended</c> hold. Default 2.</summary>
    public int RefusalThreshold { get; set; } = 2;

    /// <summary>Window for <see cref="RefusalThreshold"/>. Default 60.</summary>
    public int RefusalWindowSeconds { get; set; } = 60;
}

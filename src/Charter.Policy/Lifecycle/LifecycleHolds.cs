// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy.Lifecycle;

/// <summary>Holds that stack on top of the state; each is placed and cleared independently, and any hold blocks access.</summary>
[Flags]
public enum LifecycleHolds : byte
{
    /// <summary>No hold.</summary>
    None = 0,

    /// <summary>Jurisdiction hold (<c>geo</c>).</summary>
    Geo = 1,

    /// <summary>Budget exhausted (<c>budget</c>).</summary>
    Budget = 2,

    /// <summary>The upstream provider suspended the account (<c>provider_suspended</c>).</summary>
    ProviderSuspended = 4,
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy.Lifecycle;

/// <summary>The state of a key, team or provider account.</summary>
public enum LifecycleState : byte
{
    /// <summary>In good standing (access allowed when no hold applies).</summary>
    Active = 0,

    /// <summary>Under investigation; access blocked.</summary>
    UnderReview = 1,

    /// <summary>Suspended pending remediation measures, optionally with a deadline.</summary>
    Suspended = 2,

    /// <summary>Permanently banned (terminal).</summary>
    Banned = 3,

    /// <summary>Revoked (keys only; terminal).</summary>
    Revoked = 4,
}

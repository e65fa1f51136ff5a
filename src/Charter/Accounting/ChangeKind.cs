// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Accounting;

/// <summary>What happened to the entity; every kind means "drop your cached copy".</summary>
public enum ChangeKind
{
    /// <summary>Any other change (limits, purpose, metadata).</summary>
    Changed = 0,

    /// <summary>Revoked for good.</summary>
    Revoked = 1,

    /// <summary>Suspended (a hold was placed).</summary>
    Suspended = 2,

    /// <summary>Reinstated (a hold was lifted).</summary>
    Reinstated = 3,

    /// <summary>Deleted.</summary>
    Deleted = 4,

    /// <summary>Caches may be stale for an unknown set of entities (bus reconnected).</summary>
    Resync = 5,
}

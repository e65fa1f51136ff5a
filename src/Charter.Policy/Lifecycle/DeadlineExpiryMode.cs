// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy.Lifecycle;

/// <summary>What happens when a suspension's deadline passes with measures still open.</summary>
public enum DeadlineExpiryMode : byte
{
    /// <summary>Nothing; the entity stays suspended until an admin acts.</summary>
    Off = 0,

    /// <summary>The entity moves to <see cref="LifecycleState.Banned"/> (event <c>deadline_expired</c>).</summary>
    Ban = 1,
}

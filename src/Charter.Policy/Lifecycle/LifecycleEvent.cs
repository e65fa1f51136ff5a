// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy.Lifecycle;

/// <summary>The events that drive the lifecycle state machine.</summary>
public enum LifecycleEvent : byte
{
    /// <summary><c>review</c>: active → under_review.</summary>
    Review = 0,

    /// <summary><c>suspend</c>: active|under_review → suspended, with reason, measures and optional deadline.</summary>
    Suspend = 1,

    /// <summary><c>complete_measure</c>: mark measure i of a suspension done.</summary>
    CompleteMeasure = 2,

    /// <summary><c>reinstate</c>: under_review|suspended (all measures done) → active.</summary>
    Reinstate = 3,

    /// <summary><c>ban</c>: any non-terminal state → banned.</summary>
    Ban = 4,

    /// <summary><c>revoke</c>: keys only, any non-terminal state → revoked.</summary>
    Revoke = 5,

    /// <summary><c>place_hold</c>: add one hold.</summary>
    PlaceHold = 6,

    /// <summary><c>clear_hold</c>: remove one hold.</summary>
    ClearHold = 7,

    /// <summary><c>deadline_expired</c>: suspended past its deadline with measures open → banned.</summary>
    DeadlineExpired = 8,
}

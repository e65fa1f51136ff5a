// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Admin;

/// <summary>The answer to a transition: the transition made and the entity after it.</summary>
public sealed record LifecycleTransitionDto(string Event, string From, string To, string Actor, string? Reason, DateTimeOffset At, LifecycleEntityDto Entity);

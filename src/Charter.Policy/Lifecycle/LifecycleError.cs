// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy.Lifecycle;

/// <summary>Why a command was refused, with the events that are allowed in the current state.</summary>
/// <param name="Code">Machine-readable: <c>illegal_transition</c>, <c>invalid_command</c>, <c>measures_open</c>, <c>deadline_not_reached</c>, <c>hold_already_placed</c>, <c>hold_not_placed</c>.</param>
/// <param name="Message">Human-readable, naming the allowed events.</param>
/// <param name="AllowedEvents">The events allowed in the current state.</param>
public sealed record LifecycleError(string Code, string Message, IReadOnlyList<LifecycleEvent> AllowedEvents);

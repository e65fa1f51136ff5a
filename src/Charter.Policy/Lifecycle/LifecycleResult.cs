// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Diagnostics.CodeAnalysis;

namespace Charter.Policy.Lifecycle;

/// <summary>The result of <see cref="LifecycleMachine.Apply"/>: the new lifecycle and its transition record, or an error (the lifecycle unchanged).</summary>
public sealed record LifecycleResult
{
    /// <summary>The lifecycle after the command (unchanged on error).</summary>
    public required EntityLifecycle Lifecycle { get; init; }

    /// <summary>The transition record on success.</summary>
    public LifecycleTransition? Transition { get; init; }

    /// <summary>The error on failure.</summary>
    public LifecycleError? Error { get; init; }

    /// <summary>True when the command was applied.</summary>
    [MemberNotNullWhen(true, nameof(Transition))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Transition is not null;
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;

namespace Charter.Policy.Lifecycle;

/// <summary>The lifecycle state machine for keys, teams and provider accounts: a pure function from (lifecycle, command, now) to a result.</summary>
/// <remarks>
/// <code>
///                         review
///            ┌────────┐ ───────────▶ ┌──────────────┐
///            │ active │              │ under_review │
///            │        │ ◀─────────── │              │
///            └────────┘   reinstate  └──────────────┘
///              │   ▲                        │
///      suspend │   │ reinstate              │ suspend
///              ▼   │ (all measures done)    ▼
///            ┌────────────────────────────────────────┐ ◀─┐
///            │ suspended (measures open|done,         │   │ complete_measure(i)
///            │            deadline)                   │ ──┘
///            └────────────────────────────────────────┘
///                          │ deadline_expired (deadline passed, measures open)
///                          ▼
///   ban    (active | under_review | suspended) ──▶ banned   (terminal)
///   revoke (keys only; any non-terminal state) ──▶ revoked  (terminal)
///
///   holds, orthogonal to the state, in any non-terminal state: place_hold(h) / clear_hold(h),
///   h ∈ {geo, budget, provider_suspended}; they stack and clear independently.
///
///   AccessAllowed = state == active &amp;&amp; holds == ∅
/// </code>
/// </remarks>
public static class LifecycleMachine
{
    private static readonly LifecycleEvent[] _activeEvents =
        [LifecycleEvent.Review, LifecycleEvent.Suspend, LifecycleEvent.Ban, LifecycleEvent.Revoke, LifecycleEvent.PlaceHold, LifecycleEvent.ClearHold];

    private static readonly LifecycleEvent[] _reviewEvents =
        [LifecycleEvent.Suspend, LifecycleEvent.Reinstate, LifecycleEvent.Ban, LifecycleEvent.Revoke, LifecycleEvent.PlaceHold, LifecycleEvent.ClearHold];

    private static readonly LifecycleEvent[] _suspendedEvents =
        [LifecycleEvent.CompleteMeasure, LifecycleEvent.Reinstate, LifecycleEvent.Ban, LifecycleEvent.Revoke, LifecycleEvent.PlaceHold, LifecycleEvent.ClearHold, LifecycleEvent.DeadlineExpired];

    /// <summary>The events allowed in the entity's current state (revoke only for keys; none once banned or revoked).</summary>
    public static IReadOnlyList<LifecycleEvent> AllowedEvents(EntityLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        var events = lifecycle.State switch
        {
            LifecycleState.Active => _activeEvents,
            LifecycleState.UnderReview => _reviewEvents,
            LifecycleState.Suspended => _suspendedEvents,
            _ => [],
        };
        if (lifecycle.Kind != EntityKind.Key)
        {
            events = Array.FindAll(events, static e => e != LifecycleEvent.Revoke);
        }

        return events;
    }

    /// <summary>Applies a command. Never throws for an illegal or malformed command: the result carries the error and the allowed events.</summary>
    public static LifecycleResult Apply(EntityLifecycle current, LifecycleCommand command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(command);
        var allowed = AllowedEvents(current);
        var noun = current.Kind.ToWireName();
        if (!Contains(allowed, command.Event))
        {
            var list = allowed.Count == 0 ? "none (the state is terminal)" : string.Join(", ", Names(allowed));
            return Fail(current, "illegal_transition",
                $"'{command.Event.ToWireName()}' is not allowed for {noun} '{current.Id}' in state '{current.State.ToWireName()}'; allowed: {list}", allowed);
        }

        if (string.IsNullOrWhiteSpace(command.Actor))
        {
            return Fail(current, "invalid_command", "every transition needs an actor (who or what asks)", allowed);
        }

        var needsReason = command.Event is LifecycleEvent.Review or LifecycleEvent.Suspend or LifecycleEvent.Ban or LifecycleEvent.Revoke or LifecycleEvent.PlaceHold;
        if (needsReason && string.IsNullOrWhiteSpace(command.Reason))
        {
            return Fail(current, "invalid_command", $"'{command.Event.ToWireName()}' needs a reason", allowed);
        }

        var next = current;
        switch (command.Event)
        {
            case LifecycleEvent.Review:
                next = Enter(current, LifecycleState.UnderReview, command.Reason, now);
                break;

            case LifecycleEvent.Suspend:
                if (command.Deadline is { } deadline && deadline <= now)
                {
                    return Fail(current, "invalid_command", $"the deadline {Format(deadline)} is not in the future", allowed);
                }

                var measures = new RemediationMeasure[command.Measures.Count];
                for (var i = 0; i < measures.Length; i++)
                {
                    if (string.IsNullOrWhiteSpace(command.Measures[i]))
                    {
                        return Fail(current, "invalid_command", $"measure {i} is empty", allowed);
                    }

                    measures[i] = new RemediationMeasure(command.Measures[i]);
                }

                next = Enter(current, LifecycleState.Suspended, command.Reason, now) with { Measures = measures, Deadline = command.Deadline };
                break;

            case LifecycleEvent.CompleteMeasure:
                if (command.MeasureIndex < 0 || command.MeasureIndex >= current.Measures.Count)
                {
                    return Fail(current, "invalid_command",
                        $"measure index {command.MeasureIndex} is out of range (the suspension has {current.Measures.Count} measure(s), numbered from 0)", allowed);
                }

                if (current.Measures[command.MeasureIndex].Done)
                {
                    return Fail(current, "invalid_command", $"measure {command.MeasureIndex} is already done", allowed);
                }

                var updated = new RemediationMeasure[current.Measures.Count];
                for (var i = 0; i < updated.Length; i++)
                {
                    updated[i] = i == command.MeasureIndex ? current.Measures[i] with { Done = true, CompletedAt = now, CompletedBy = command.Actor } : current.Measures[i];
                }

                next = current with { Measures = updated };
                break;

            case LifecycleEvent.Reinstate:
                if (current.State == LifecycleState.Suspended && current.OpenMeasureCount > 0)
                {
                    return Fail(current, "measures_open",
                        $"{noun} '{current.Id}' cannot be reinstated while measures are open: {OpenMeasures(current)}; complete them first (complete_measure)", allowed);
                }

                next = Enter(current, LifecycleState.Active, command.Reason, now) with { Measures = [], Deadline = null };
                break;

            case LifecycleEvent.Ban:
                next = Enter(current, LifecycleState.Banned, command.Reason, now);
                break;

            case LifecycleEvent.Revoke:
                next = Enter(current, LifecycleState.Revoked, command.Reason, now);
                break;

            case LifecycleEvent.PlaceHold or LifecycleEvent.ClearHold:
                if (!IsSingleHold(command.Hold))
                {
                    return Fail(current, "invalid_command", "name exactly one hold: geo, budget or provider_suspended", allowed);
                }

                var has = (current.Holds & command.Hold) != 0;
                if (command.Event == LifecycleEvent.PlaceHold && has)
                {
                    return Fail(current, "hold_already_placed", $"{noun} '{current.Id}' already has the {command.Hold.ToWireName()} hold", allowed);
                }

                if (command.Event == LifecycleEvent.ClearHold && !has)
                {
                    return Fail(current, "hold_not_placed", $"{noun} '{current.Id}' has no {command.Hold.ToWireName()} hold (holds: {current.Holds.ToWireName()})", allowed);
                }

                next = current with { Holds = command.Event == LifecycleEvent.PlaceHold ? current.Holds | command.Hold : current.Holds & ~command.Hold };
                break;

            case LifecycleEvent.DeadlineExpired:
                if (current.Deadline is not { } due || now < due)
                {
                    return Fail(current, "deadline_not_reached",
                        current.Deadline is null ? "the suspension has no deadline" : $"the deadline {Format(current.Deadline.Value)} has not passed", allowed);
                }

                if (current.OpenMeasureCount == 0)
                {
                    return Fail(current, "invalid_command", "every measure is done; reinstate instead", allowed);
                }

                next = Enter(current, LifecycleState.Banned,
                    $"suspension deadline {Format(due)} passed with measures open: {OpenMeasures(current)}", now);
                break;

            default:
                return Fail(current, "invalid_command", $"unknown event {command.Event}", allowed);
        }

        next = next with { Version = current.Version + 1 };
        var transition = new LifecycleTransition
        {
            Kind = current.Kind,
            EntityId = current.Id,
            Event = command.Event,
            From = current.State,
            To = next.State,
            HoldsBefore = current.Holds,
            HoldsAfter = next.Holds,
            Actor = command.Actor,
            Reason = command.Event == LifecycleEvent.DeadlineExpired ? next.Reason : command.Reason,
            Measures = next.Measures,
            Deadline = next.Deadline,
            MeasureIndex = command.Event == LifecycleEvent.CompleteMeasure ? command.MeasureIndex : -1,
            Hold = command.Hold,
            At = now,
            Version = next.Version,
        };
        return new LifecycleResult { Lifecycle = next, Transition = transition };
    }

    /// <summary>Applies <c>deadline_expired</c> to every suspended entity whose deadline has passed with measures open.</summary>
    /// <returns>The results of the transitions made (empty when <paramref name="mode"/> is off).</returns>
    public static IReadOnlyList<LifecycleResult> ExpireDeadlines(IEnumerable<EntityLifecycle> entities, DateTimeOffset now, DeadlineExpiryMode mode)
    {
        ArgumentNullException.ThrowIfNull(entities);
        var results = new List<LifecycleResult>();
        if (mode == DeadlineExpiryMode.Off)
        {
            return results;
        }

        foreach (var entity in entities)
        {
            if (IsDue(entity, now))
            {
                results.Add(Apply(entity, LifecycleCommand.DeadlineExpired(), now));
            }
        }

        return results;
    }

    /// <summary>Same as <see cref="ExpireDeadlines(IEnumerable{EntityLifecycle}, DateTimeOffset, DeadlineExpiryMode)"/> with the time from <paramref name="timeProvider"/>.</summary>
    public static IReadOnlyList<LifecycleResult> ExpireDeadlines(IEnumerable<EntityLifecycle> entities, TimeProvider timeProvider, DeadlineExpiryMode mode)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return ExpireDeadlines(entities, timeProvider.GetUtcNow(), mode);
    }

    /// <summary>True when the entity is suspended, its deadline has passed and measures are still open.</summary>
    public static bool IsDue(EntityLifecycle entity, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return entity.State == LifecycleState.Suspended && entity.Deadline is { } d && now >= d && entity.OpenMeasureCount > 0;
    }

    internal static string OpenMeasures(EntityLifecycle lifecycle)
    {
        var parts = new List<string>();
        for (var i = 0; i < lifecycle.Measures.Count; i++)
        {
            if (!lifecycle.Measures[i].Done)
            {
                parts.Add($"[{i}] {lifecycle.Measures[i].Description}");
            }
        }

        return string.Join("; ", parts);
    }

    internal static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static EntityLifecycle Enter(EntityLifecycle current, LifecycleState state, string? reason, DateTimeOffset now) =>
        current with { State = state, Reason = reason, Since = now };

    private static bool IsSingleHold(LifecycleHolds hold) =>
        hold is LifecycleHolds.Geo or LifecycleHolds.Budget or LifecycleHolds.ProviderSuspended;

    private static bool Contains(IReadOnlyList<LifecycleEvent> events, LifecycleEvent e)
    {
        foreach (var candidate in events)
        {
            if (candidate == e)
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<string> Names(IReadOnlyList<LifecycleEvent> events)
    {
        foreach (var e in events)
        {
            yield return e.ToWireName();
        }
    }

    private static LifecycleResult Fail(EntityLifecycle current, string code, string message, IReadOnlyList<LifecycleEvent> allowed) =>
        new() { Lifecycle = current, Error = new LifecycleError(code, message, allowed) };
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy.Lifecycle;

/// <summary>Applies lifecycle commands through an <see cref="ILifecycleStore"/> with the time from a <see cref="TimeProvider"/>, and runs the deadline sweep.</summary>
public sealed class LifecycleService
{
    private readonly ILifecycleStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly LifecycleOptions _options;

    /// <summary>Creates the service.</summary>
    public LifecycleService(ILifecycleStore store, TimeProvider timeProvider, LifecycleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _store = store;
        _timeProvider = timeProvider;
        _options = options ?? new LifecycleOptions();
    }

    /// <summary>The entity's lifecycle (active with no holds when never stored).</summary>
    public async ValueTask<EntityLifecycle> GetAsync(EntityKind kind, string id, CancellationToken cancellationToken = default) =>
        await _store.GetAsync(kind, id, cancellationToken).ConfigureAwait(false)
        ?? EntityLifecycle.CreateActive(kind, id, _timeProvider.GetUtcNow());

    /// <summary>Loads, applies and saves (retrying on concurrency conflicts). The transition, on success, is already in the history.</summary>
    public async ValueTask<LifecycleResult> ApplyAsync(EntityKind kind, string id, LifecycleCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(command);
        for (var attempt = 0; ; attempt++)
        {
            var current = await GetAsync(kind, id, cancellationToken).ConfigureAwait(false);
            var result = LifecycleMachine.Apply(current, command, _timeProvider.GetUtcNow());
            if (!result.Succeeded)
            {
                return result;
            }

            if (await _store.TrySaveAsync(result.Lifecycle, result.Transition, current.Version, cancellationToken).ConfigureAwait(false))
            {
                return result;
            }

            if (attempt >= _options.MaxConflictRetries)
            {
                return new LifecycleResult
                {
                    Lifecycle = current,
                    Error = new LifecycleError("conflict", $"{kind.ToWireName()} '{id}' changed concurrently; try again", LifecycleMachine.AllowedEvents(current)),
                };
            }
        }
    }

    /// <summary>Bans every suspended entity past its deadline with measures open (no-op when the mode is off). Returns the transitions made.</summary>
    public async ValueTask<IReadOnlyList<LifecycleTransition>> ExpireDeadlinesAsync(CancellationToken cancellationToken = default)
    {
        var made = new List<LifecycleTransition>();
        if (_options.DeadlineExpiry == DeadlineExpiryMode.Off)
        {
            return made;
        }

        var now = _timeProvider.GetUtcNow();
        foreach (var due in await _store.ListSuspendedDueAsync(now, cancellationToken).ConfigureAwait(false))
        {
            if (!LifecycleMachine.IsDue(due, now))
            {
                continue;
            }

            var result = await ApplyAsync(due.Kind, due.Id, LifecycleCommand.DeadlineExpired(), cancellationToken).ConfigureAwait(false);
            if (result.Succeeded)
            {
                made.Add(result.Transition);
            }
        }

        return made;
    }
}

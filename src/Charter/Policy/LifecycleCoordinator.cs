// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Accounting;
using Charter.Keys;
using Charter.Policy.Lifecycle;
using Charter.Records;
using Microsoft.Extensions.Logging;

namespace Charter.Policy;

/// <summary>Applies lifecycle commands for the gateway: through the store (atomic save + history), into the in-memory cache,
/// and into the journal as a <c>transition</c> event (so the audit log records actor and reason).</summary>
public sealed partial class LifecycleCoordinator
{
    private readonly LifecycleService _service;
    private readonly LifecycleCache _cache;
    private readonly Journal? _journal;
    private readonly ILogger _logger;
    private readonly IChangeNotifier? _notifier;

    /// <summary>Creates the coordinator.</summary>
    public LifecycleCoordinator(ILifecycleStore store, LifecycleCache cache, Journal? journal, TimeProvider time, LifecycleOptions options, ILogger<LifecycleCoordinator> logger,
        IChangeNotifier? notifier = null)
    {
        _notifier = notifier;
        _service = new LifecycleService(store, time, options);
        _cache = cache;
        _journal = journal;
        _logger = logger;
    }

    /// <summary>The entity's lifecycle (active when never stored).</summary>
    public ValueTask<EntityLifecycle> GetAsync(EntityKind kind, string id, CancellationToken cancellationToken = default) =>
        _service.GetAsync(kind, id, cancellationToken);

    /// <summary>Applies one command; on success the cache and the journal have it.</summary>
    public async ValueTask<LifecycleResult> ApplyAsync(EntityKind kind, string id, LifecycleCommand command, CancellationToken cancellationToken = default)
    {
        var result = await _service.ApplyAsync(kind, id, command, cancellationToken).ConfigureAwait(false);
        if (result.Succeeded)
        {
            await RecordAsync(result.Lifecycle, result.Transition).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>Runs the deadline sweep; returns the transitions made.</summary>
    public async ValueTask<IReadOnlyList<LifecycleTransition>> ExpireDeadlinesAsync(CancellationToken cancellationToken = default)
    {
        var made = await _service.ExpireDeadlinesAsync(cancellationToken).ConfigureAwait(false);
        foreach (var t in made)
        {
            var lc = await _service.GetAsync(t.Kind, t.EntityId, cancellationToken).ConfigureAwait(false);
            await RecordAsync(lc, t).ConfigureAwait(false);
        }

        return made;
    }

    private async ValueTask RecordAsync(EntityLifecycle lifecycle, LifecycleTransition transition)
    {
        _cache.Set(lifecycle);
        if (_notifier is not null)
        {
            // Other instances reload their lifecycle cache at once (Redis pub/sub); without a bus, on their next poll.
            await _notifier.PublishAsync(new ChangeNotification(ToChangeEntity(transition.Kind), transition.EntityId, ChangeKind.Changed)).ConfigureAwait(false);
        }

        Log.Transition(_logger, transition.Kind.ToWireName(), transition.EntityId, transition.Event.ToWireName(), transition.From.ToWireName(),
            transition.To.ToWireName(), transition.Actor);
        if (_journal is null)
        {
            return;
        }

        await _journal.AppendAsync(new JournalEvent
        {
            Kind = "transition",
            Id = KeySecrets.NewId("evt_"),
            Ts = transition.At,
            Actor = transition.Actor,
            EntityType = transition.Kind.ToWireName(),
            EntityId = transition.EntityId,
            Key = transition.Kind == EntityKind.Key ? transition.EntityId : null,
            Account = transition.Kind == EntityKind.Account ? transition.EntityId : null,
            Reason = transition.Reason ?? transition.Event.ToWireName(),
            Detail = LifecycleJson.Serialize(transition),
        }).ConfigureAwait(false);
    }

    private static ChangeEntity ToChangeEntity(EntityKind kind) => kind switch
    {
        EntityKind.Key => ChangeEntity.Key,
        EntityKind.Team => ChangeEntity.Team,
        _ => ChangeEntity.ProviderAccount,
    };

    private static partial class Log
    {
        [LoggerMessage(EventId = 3110, Level = LogLevel.Information, Message = "Lifecycle: {Kind} {Id} {Event}: {From} -> {To} by {Actor}")]
        public static partial void Transition(ILogger logger, string kind, string id, string @event, string from, string to, string actor);
    }
}

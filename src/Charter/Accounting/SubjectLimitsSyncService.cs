// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Charter.Accounting;

/// <summary>Keeps <see cref="SubjectLimits"/> in step with its store (the gateway database): loads every own limit at start,
/// reloads one key's or team's when the change bus announces a change to it (at once with <c>--redis</c>), everything after a
/// resync, and everything when the database's change version moves (other instances without Redis, the CLI; polled every
/// <see cref="Period"/>). Does nothing when limits are not shared.</summary>
public sealed partial class SubjectLimitsSyncService : IHostedService, IDisposable
{
    private readonly SubjectLimits _limits;
    private readonly IChangeNotifier _notifier;
    private readonly IGatewayStore? _store;
    private readonly ILogger<SubjectLimitsSyncService> _logger;
    private IDisposable? _subscription;
    private CancellationTokenSource? _stopping;
    private Task? _polling;
    private long _version = -1;

    /// <summary>Creates the service; without <paramref name="store"/> the change version is not polled.</summary>
    public SubjectLimitsSyncService(SubjectLimits limits, IChangeNotifier notifier, ILogger<SubjectLimitsSyncService> logger, IGatewayStore? store = null)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(notifier);
        ArgumentNullException.ThrowIfNull(logger);
        _limits = limits;
        _notifier = notifier;
        _logger = logger;
        _store = store;
    }

    /// <summary>Change-version poll period. Default 500 ms.</summary>
    public static TimeSpan Period { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_limits.IsShared)
        {
            return;
        }

        _subscription ??= _notifier.Subscribe(OnChange);
        await ReloadAllAsync(cancellationToken).ConfigureAwait(false);
        if (_store is not null && _polling is null)
        {
            _stopping = new CancellationTokenSource();
            _polling = PollAsync(_store, _stopping.Token);
        }
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        _subscription = null;
        if (_stopping is not null && _polling is not null)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
            await _polling.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _subscription?.Dispose();
        _subscription = null;
        _stopping?.Cancel();
        _stopping?.Dispose();
        _stopping = null;
    }

    private async Task PollAsync(IGatewayStore store, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    var version = await store.GetChangeVersionAsync(stoppingToken).ConfigureAwait(false);
                    // A reload dropped for a local change made meanwhile leaves the version unseen: the next tick loads again.
                    if (version != Interlocked.Read(ref _version) && await _limits.ReloadAsync(stoppingToken).ConfigureAwait(false))
                    {
                        Interlocked.Exchange(ref _version, version);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.ReloadFailed(_logger, "*", ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private void OnChange(ChangeNotification change)
    {
        if (change.Entity == ChangeEntity.All || change.Kind == ChangeKind.Resync)
        {
            _ = Task.Run(() => ReloadAsync(null, null, CancellationToken.None));
        }
        else if (change.Entity is ChangeEntity.Key or ChangeEntity.Team && change.Kind == ChangeKind.Changed)
        {
            var scope = change.Entity == ChangeEntity.Team ? LimitScope.Team : LimitScope.Key;
            _ = Task.Run(() => ReloadAsync(scope, change.Id, CancellationToken.None));
        }
    }

    // At start: the version is read before the load, so a change made in between is loaded again by the next poll.
    private async Task ReloadAllAsync(CancellationToken cancellationToken)
    {
        try
        {
            var version = _store is null ? -1 : await _store.GetChangeVersionAsync(cancellationToken).ConfigureAwait(false);
            if (await _limits.ReloadAsync(cancellationToken).ConfigureAwait(false))
            {
                Interlocked.Exchange(ref _version, version);
            }
        }
#pragma warning disable CA1031 // a failed load keeps the previous limits; the next poll, change or resync loads again
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.ReloadFailed(_logger, "*", ex);
        }
    }

    private async Task ReloadAsync(LimitScope? scope, string? id, CancellationToken cancellationToken)
    {
        try
        {
            // Dropped when a local change raced the read (see SubjectLimits): read again, a few times at most.
            for (var attempt = 0; attempt < 3; attempt++)
            {
                var applied = scope is { } s && id is not null
                    ? await _limits.ReloadAsync(s, id, cancellationToken).ConfigureAwait(false)
                    : await _limits.ReloadAsync(cancellationToken).ConfigureAwait(false);
                if (applied)
                {
                    break;
                }
            }
        }
#pragma warning disable CA1031 // a failed reload keeps the previous limits; the next change or resync reloads again
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.ReloadFailed(_logger, id ?? "*", ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6016, Level = LogLevel.Warning, Message = "Could not reload the own limits of {Id} from the shared store; keeping the previous ones.")]
        public static partial void ReloadFailed(ILogger logger, string id, Exception ex);
    }
}

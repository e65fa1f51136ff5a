// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Threading.Channels;
using Charter.Accounting;
using Charter.Keys;
using Charter.Policy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Charter.Hosting;

/// <summary>
/// Reloads the key cache and the lifecycle cache as soon as an <see cref="IChangeNotifier"/> announces a change to a key,
/// team or account (or a resync), so a revocation or suspension made through another instance is refused here within
/// milliseconds instead of at the next database poll. Bursts of notifications coalesce into one reload.
/// </summary>
public sealed partial class ChangeInvalidationService(IChangeNotifier notifier, KeyRegistry keys, IServiceProvider services,
    ILogger<ChangeInvalidationService> logger) : BackgroundService
{
    private readonly Channel<bool> _pending = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    private long _reloads;
    private IDisposable? _subscription;

    /// <summary>Reloads made so far.</summary>
    public long Reloads => Interlocked.Read(ref _reloads);

    /// <inheritdoc/>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Subscribe before start returns (ExecuteAsync runs later, on the thread pool): no change is missed after start.
        _subscription ??= notifier.Subscribe(OnChange);
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _subscription, null)?.Dispose();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        Interlocked.Exchange(ref _subscription, null)?.Dispose();
        base.Dispose();
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lifecycles = services.GetService<LifecycleCache>();
        await foreach (var _ in _pending.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await keys.ReloadAsync(stoppingToken).ConfigureAwait(false);
                if (lifecycles is not null)
                {
                    await lifecycles.ReloadAsync(stoppingToken).ConfigureAwait(false);
                }

                Interlocked.Increment(ref _reloads);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.ReloadFailed(logger, ex);
            }
        }
    }

    private void OnChange(ChangeNotification change)
    {
        // An admin key's revocation reloads the key registry too: the admin key cache empties when the registry's version moves.
        if (change.Entity is ChangeEntity.Key or ChangeEntity.Team or ChangeEntity.ProviderAccount or ChangeEntity.AdminKey or ChangeEntity.All)
        {
            _pending.Writer.TryWrite(true);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6201, Level = LogLevel.Warning, Message = "Reload after a change notification failed; the periodic refresh will retry.")]
        public static partial void ReloadFailed(ILogger logger, Exception ex);
    }
}

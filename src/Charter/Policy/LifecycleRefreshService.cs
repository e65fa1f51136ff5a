// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Charter.Policy;

/// <summary>Polls the store's change version and reloads the <see cref="LifecycleCache"/> when it moved (other instances, the CLI).</summary>
public sealed partial class LifecycleRefreshService(LifecycleCache cache, IGatewayStore store, ILogger<LifecycleRefreshService> logger) : BackgroundService
{
    /// <summary>Poll period. Default 500 ms.</summary>
    public static TimeSpan Period { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <inheritdoc/>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Load before the first request is served (the server starts after hosted services).
        try
        {
            var version = await store.GetChangeVersionAsync(cancellationToken).ConfigureAwait(false);
            await cache.ReloadAsync(cancellationToken).ConfigureAwait(false);
            cache.Version = version;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.RefreshFailed(logger, ex);
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                var version = await store.GetChangeVersionAsync(stoppingToken).ConfigureAwait(false);
                if (version != cache.Version)
                {
                    await cache.ReloadAsync(stoppingToken).ConfigureAwait(false);
                    cache.Version = version;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.RefreshFailed(logger, ex);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Lifecycle cache refresh failed; serving the cached lifecycles.")]
        public static partial void RefreshFailed(ILogger logger, Exception ex);
    }
}

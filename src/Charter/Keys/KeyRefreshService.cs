// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Charter.Keys;

/// <summary>Polls the store's change version every second and reloads the key cache when it moved.</summary>
public sealed partial class KeyRefreshService(KeyRegistry registry, IGatewayStore store, ILogger<KeyRefreshService> logger) : BackgroundService
{
    /// <summary>Poll period.</summary>
    public static TimeSpan Period { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                var version = await store.GetChangeVersionAsync(stoppingToken).ConfigureAwait(false);
                if (version != registry.Version)
                {
                    await registry.ReloadAsync(stoppingToken).ConfigureAwait(false);
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
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Key cache refresh failed; serving the cached keys.")]
        public static partial void RefreshFailed(ILogger logger, Exception ex);
    }
}

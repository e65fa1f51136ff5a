// Copyright (c) Charter contributors. Licensed under the MIT License.

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Charter.Policy;

/// <summary>Every <see cref="PolicyGatewayOptions.SweepSeconds"/> (on the injected <see cref="TimeProvider"/>), bans suspended
/// entities whose deadline passed with measures still open (unless <see cref="PolicyGatewayOptions.DeadlineExpiry"/> is off).</summary>
public sealed partial class DeadlineSweepService(LifecycleCoordinator lifecycle, PolicyGatewayOptions options, TimeProvider time,
    ILogger<DeadlineSweepService> logger) : BackgroundService
{
    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.Equals(options.DeadlineExpiry, "off", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, options.SweepSeconds)), time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            await SweepAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs one sweep now.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var made = await lifecycle.ExpireDeadlinesAsync(cancellationToken).ConfigureAwait(false);
            if (made.Count > 0)
            {
                Log.Banned(logger, made.Count);
            }

            return made.Count;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.SweepFailed(logger, ex);
            return 0;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3130, Level = LogLevel.Warning, Message = "Deadline sweep banned {Count} suspended entit(ies) whose remediation deadline passed.")]
        public static partial void Banned(ILogger logger, int count);

        [LoggerMessage(EventId = 3131, Level = LogLevel.Error, Message = "Deadline sweep failed; retrying at the next tick.")]
        public static partial void SweepFailed(ILogger logger, Exception ex);
    }
}

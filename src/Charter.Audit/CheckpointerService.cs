// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Audit.Threading;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Charter.Audit;

/// <summary>Signs a checkpoint every <see cref="AuditOptions.CheckpointInterval"/> while the log grows, and once more at shutdown.</summary>
public sealed partial class CheckpointerService : BackgroundService
{
    private readonly AuditLog _log;
    private readonly AuditOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<CheckpointerService> _logger;

    public CheckpointerService(AuditLog log, AuditOptions options, TimeProvider timeProvider, ILogger<CheckpointerService> logger)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _log = log;
        _options = options;
        _time = timeProvider;
        _logger = logger;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await TryCheckpointAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.CheckpointInterval, _time);

        // A checkpoint is a database write that may block in a sync (SQLite's WAL checkpoint): on a thread of its own,
        // like the integrator's batches, not on a pool worker the request path needs (SerialLane).
        using var lane = new SerialLane("Charter checkpoint");
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await lane;
                await TryCheckpointAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: StopAsync signs the final checkpoint.
        }
    }

    private async Task TryCheckpointAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _log.CheckpointAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.CheckpointFailed(_logger, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4010, Level = LogLevel.Error, Message = "Audit checkpoint failed; will retry.")]
        public static partial void CheckpointFailed(ILogger logger, Exception exception);
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Audit.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Charter.Audit;

/// <summary>
/// With several instances on one PostgreSQL database: elects one sequencer that moves every instance's queued events into the
/// tree and signs checkpoints; the others stand by and take over within about <see cref="AuditOptions.ElectionInterval"/>
/// of its death.
/// </summary>
/// <remarks>
/// <code>
///  not sequencer ──every ElectionInterval──► TryAcquireSequencerAsync (pg_try_advisory_lock on a dedicated session)
///        ▲                                        │ acquired
///        │ lease lost (session gone)              ▼
///        └──────────────────────────── sequencer: TakeOverAsync (reload frontier) → loop { SequenceQueuedAsync;
///                                                  CheckpointAsync every CheckpointInterval; lease check every second }
///  stop: drain the queue, final checkpoint, release the lease.
/// </code>
/// The lease is an optimisation of who writes, not what keeps the tree sound: every append is checked against the tree size
/// under a transaction lock, so a stale sequencer fails with a conflict instead of forking the log.
/// </remarks>
public sealed partial class AuditSequencerService : BackgroundService
{
    private const int MaxBatch = 4096;
    private readonly AuditLog _log;
    private readonly IAuditQueueStore _queue;
    private readonly AuditOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<AuditSequencerService> _logger;
    private IAuditSequencerLease? _lease;

    public AuditSequencerService(AuditLog log, IAuditQueueStore queue, AuditOptions options, TimeProvider timeProvider, ILogger<AuditSequencerService> logger)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _log = log;
        _queue = queue;
        _options = options;
        _time = timeProvider;
        _logger = logger;
    }

    /// <summary>Whether this instance is the sequencer now.</summary>
    public bool IsSequencer => _lease is not null && _log.IsWriter;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_lease is null)
        {
            return;
        }

        try
        {
            // What this instance's own shutdown flushed into the queue goes in now, then one last signature.
            while (await _log.SequenceQueuedAsync(_queue, MaxBatch, cancellationToken).ConfigureAwait(false) == MaxBatch)
            {
            }

            await _log.CheckpointAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.SequencingFailed(_logger, ex);
        }
        finally
        {
            await ReleaseAsync().ConfigureAwait(false);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastCheckpoint = long.MinValue;
        var lastLeaseCheck = _time.GetTimestamp();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (_lease is null)
                {
                    _lease = await _queue.TryAcquireSequencerAsync(stoppingToken).ConfigureAwait(false);
                    if (_lease is null)
                    {
                        await Task.Delay(_options.ElectionInterval, _time, stoppingToken).ConfigureAwait(false);
                        continue;
                    }

                    await _log.TakeOverAsync(stoppingToken).ConfigureAwait(false);
                    Log.Elected(_logger, await _log.GetSizeAsync(stoppingToken).ConfigureAwait(false));
                    lastCheckpoint = long.MinValue;
                    lastLeaseCheck = _time.GetTimestamp();
                }

                var moved = await _log.SequenceQueuedAsync(_queue, MaxBatch, stoppingToken).ConfigureAwait(false);
                if (_time.GetElapsedTime(lastCheckpoint == long.MinValue ? 0 : lastCheckpoint) >= _options.CheckpointInterval || lastCheckpoint == long.MinValue)
                {
                    await _log.CheckpointAsync(stoppingToken).ConfigureAwait(false);
                    lastCheckpoint = _time.GetTimestamp();
                }

                if (_time.GetElapsedTime(lastLeaseCheck) >= TimeSpan.FromSeconds(1))
                {
                    lastLeaseCheck = _time.GetTimestamp();
                    if (!await _lease.IsHeldAsync(stoppingToken).ConfigureAwait(false))
                    {
                        Log.LeaseLost(_logger);
                        await ReleaseAsync().ConfigureAwait(false);
                        continue;
                    }
                }

                if (moved < MaxBatch)
                {
                    await Task.Delay(_options.SequencerPollInterval, _time, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database is unreachable, or another sequencer wrote (conflict): check the lease and try again.
                Log.SequencingFailed(_logger, ex);
                if (_lease is not null && !await _lease.IsHeldAsync(CancellationToken.None).ConfigureAwait(false))
                {
                    Log.LeaseLost(_logger);
                    await ReleaseAsync().ConfigureAwait(false);
                }

                try
                {
                    await Task.Delay(_options.ElectionInterval, _time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task ReleaseAsync()
    {
        _log.StepDown();
        var lease = _lease;
        _lease = null;
        if (lease is not null)
        {
            await lease.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4020, Level = LogLevel.Information, Message = "This instance is now the audit sequencer (tree size {Size}).")]
        public static partial void Elected(ILogger logger, long size);

        [LoggerMessage(EventId = 4021, Level = LogLevel.Warning, Message = "Audit sequencer lease lost; standing by.")]
        public static partial void LeaseLost(ILogger logger);

        [LoggerMessage(EventId = 4022, Level = LogLevel.Warning, Message = "Audit sequencing failed; will retry.")]
        public static partial void SequencingFailed(ILogger logger, Exception exception);
    }
}

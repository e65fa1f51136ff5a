// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Diagnostics;
using Charter.Audit.Threading;
using Charter.Configuration;
using Charter.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Charter.Records;

/// <summary>Moves journal events into the database and the sinks in batches; recovers the journal at start-up.</summary>
/// <remarks>
/// Start-up (before Kestrel accepts a request): read the positions the database and each sink have integrated,
/// replay the journal after the oldest of them, each consumer getting only what it lacks: exactly once.
/// Then: wait for events, read up to <see cref="MaxBatch"/> back from the journal (<see cref="Journal.Read"/>), one
/// transaction for records + position, then each sink.
/// A database outage leaves events in the journal (retried every second); nothing is dropped.
/// The batches run on a thread of their own (<see cref="SerialLane"/>, "Charter integrator"), not the thread pool: they
/// block in SQLite's commits and checkpoints and in the journal's unmapping, and the request path needs the pool's few
/// workers.
/// </remarks>
public sealed partial class EventPipeline : IHostedService, IAsyncDisposable
{
    private const int MaxBatch = 4096;
    private readonly Journal _journal;
    private readonly IGatewayStore _store;
    private readonly IEnumerable<IEventSink> _sinks;
    private readonly RecordsOptions _options;
    private readonly ILogger<EventPipeline> _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly JournalBatch _pending = new(); // one batch, its storage and pairing reused
    private Task? _loop;
    private SerialLane? _lane; // from StartAsync to the end of StopAsync
    private long _integrated;
    private JournalPosition _readAt; // the journal position after the last event read into a batch
    private readonly Lock _integratedLock = new();
    private JournalPosition _integratedAt; // after the last event every consumer has; read by BacklogBytes

    /// <summary>Creates the pipeline.</summary>
    public EventPipeline(Journal journal, IGatewayStore store, IEnumerable<IEventSink> sinks, IOptions<RecordsOptions> options, ILogger<EventPipeline> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _journal = journal;
        _store = store;
        _sinks = sinks;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Whether start-up recovery is done and the integrator runs (until it stops).</summary>
    public bool IsRunning => Volatile.Read(ref _lane) is not null;

    /// <summary>Number of events integrated since start.</summary>
    public long Integrated => Interlocked.Read(ref _integrated);

    /// <summary>Bytes of events appended to the journal that the records, audit log and detection do not have yet; across
    /// segments an estimate (a segment taken as full). Zero when the integration has caught up.</summary>
    public long BacklogBytes
    {
        get
        {
            var head = _journal.Head;
            JournalPosition at;
            lock (_integratedLock)
            {
                at = _integratedAt;
            }

            if (!head.IsAfter(at))
            {
                return 0;
            }

            return head.Segment == at.Segment
                ? head.Offset - at.Offset
                : Math.Max(0, _options.SegmentBytes - at.Offset) + ((head.Segment - at.Segment - 1) * _options.SegmentBytes) + head.Offset;
        }
    }

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var recordsAt = await _store.GetJournalPositionAsync(cancellationToken).ConfigureAwait(false);
        var sinkPositions = new List<(IEventSink Sink, JournalPosition? At)>();
        var from = recordsAt;
        foreach (var sink in _sinks)
        {
            var at = await sink.GetPositionAsync(cancellationToken).ConfigureAwait(false);
            sinkPositions.Add((sink, at));
            if (at is { } p && from.IsAfter(p))
            {
                from = p;
            }
        }

        var recovered = _journal.Recover(from);
        if (recovered.Count > 0)
        {
            var last = recovered[^1].Position;
            var forRecords = recovered.Where(e => e.Position.IsAfter(recordsAt)).ToList();
            if (forRecords.Count > 0)
            {
                await _store.IntegrateAsync(forRecords, last, cancellationToken).ConfigureAwait(false);
            }

            foreach (var (sink, at) in sinkPositions)
            {
                var forSink = at is { } p ? recovered.Where(e => e.Position.IsAfter(p)).ToList() : recovered.ToList();
                if (forSink.Count > 0)
                {
                    await sink.ConsumeAsync(forSink, last, cancellationToken).ConfigureAwait(false);
                }
            }

            Log.Recovered(_logger, recovered.Count, forRecords.Count);
        }

        _readAt = _journal.RecoveredEnd;
        lock (_integratedLock)
        {
            _integratedAt = _readAt;
        }

        _lane = new SerialLane("Charter integrator", TimeSpan.FromMicroseconds(_options.IntegratorSliceMicroseconds));
        _loop = RunAsync(_lane, _stop.Token);
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        // Graceful shutdown: whatever is still in the journal goes in now, a batch at a time, on the lane like every batch.
        var lane = _lane;
        if (lane is not null)
        {
            try
            {
                await lane;
                while (true)
                {
                    ReadIntoBatch();
                    if (_pending.Count == 0)
                    {
                        break;
                    }

                    await FlushAsync(lane, CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (Exception ex)
            {
                Log.IntegrationFailed(_logger, ex);
            }
        }

        _journal.Flush();
        if (lane is not null)
        {
            // The rest of the host's shutdown goes on off the lane, which ends here.
            await ThreadPoolHop.Instance;
            _lane = null;
            lane.Dispose();
        }
    }

    /// <summary>Waits until every event appended so far is integrated by every consumer: the request records and each sink
    /// (audit log, detection, metrics). The records' position in the store moves before the sinks consume the batch, so
    /// waiting for it alone let a caller read an audit log or metrics that did not have the batch yet.</summary>
    public async Task WaitIdleAsync(TimeSpan timeout)
    {
        var head = _journal.Head;
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            JournalPosition at;
            lock (_integratedLock)
            {
                at = _integratedAt;
            }

            if (!head.IsAfter(at))
            {
                return;
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
        _lane?.Dispose();
    }

    private async Task RunAsync(SerialLane lane, CancellationToken stop)
    {
        await lane;
        var interval = TimeSpan.FromMilliseconds(_options.IntegrateIntervalMs);
        var lastStart = 0L;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                // Let a batch build up: one transaction (records, audit, detection) per interval. Each batch has a fixed cost
                // (transactions, audit position), so fewer, larger batches leave more of the CPU to the request path, and a
                // request usually meets its completion in the same batch (one row, one leaf). When idle, the first event
                // starts a full interval. Under load the interval runs from the start of the previous batch, so a batch
                // holds about one interval of events: waiting a whole interval after a long batch made batches grow with the
                // time batches took; a backlog is taken at once, MaxBatch events at a time. The events wait in the journal
                // (read back when their batch starts), not on the heap: a pipeline that falls behind does not make the GC
                // copy its backlog.
                if (_pending.Count == 0)
                {
                    TimeSpan wait;
                    if (!_journal.Head.IsAfter(_readAt))
                    {
                        await _journal.WaitForAppendAsync(_readAt, stop).ConfigureAwait(false);
                        wait = interval;
                    }
                    else
                    {
                        wait = interval - Stopwatch.GetElapsedTime(lastStart);
                    }

                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, stop).ConfigureAwait(false);
                    }
                }

                // The waits end on a timer or an appending thread: back to the lane before any work.
                await lane;
                lastStart = Stopwatch.GetTimestamp();
                ReadIntoBatch();

                await FlushAsync(lane, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database is unreachable or busy: keep the batch (it is also in the journal) and retry.
                Log.IntegrationFailed(_logger, ex);
                try
                {
                    await Task.Delay(1000, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    // Tops the batch up to MaxBatch with events read back from the journal (a batch kept after a failure keeps its events).
    private void ReadIntoBatch()
    {
        if (_pending.Count < MaxBatch)
        {
            _readAt = _journal.Read(_readAt, _pending, MaxBatch - _pending.Count);
        }
    }

    private async Task FlushAsync(SerialLane lane, CancellationToken cancellationToken)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var position = _pending[^1].Position;
        await _store.IntegrateAsync(_pending, position, cancellationToken).ConfigureAwait(false);

        foreach (var sink in _sinks)
        {
            // A sink that fails (its database is down) is retried with this same batch until it succeeds, so the audit
            // log never skips a batch that the request records already hold; the journal keeps everything meanwhile.
            for (var attempt = 0; ; attempt++)
            {
                // Back to the lane first: a PostgreSQL read may have completed on a socket event thread (inline
                // completions), which serves other connections too, and a retry's delay ends on the pool.
                await lane;
                try
                {
                    await sink.ConsumeAsync(_pending, position, cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.SinkFailed(_logger, sink.Name, ex);
                    await Task.Delay(Math.Min(5000, 200 * (attempt + 1)), cancellationToken).ConfigureAwait(false);
                }
            }
        }

        await lane;
        Interlocked.Add(ref _integrated, _pending.Count);
        lock (_integratedLock)
        {
            _integratedAt = position;
        }

        _pending.Clear();
        _journal.ReleaseUpTo(position); // unmaps (msync) and deletes segments: on the lane too
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Journal recovery: {Count} events replayed, {Records} new request records.")]
        public static partial void Recovered(ILogger logger, int count, int records);

        [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Integrating journal events failed; they stay in the journal and will be retried.")]
        public static partial void IntegrationFailed(ILogger logger, Exception ex);

        [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "Event sink {Sink} failed on a batch.")]
        public static partial void SinkFailed(ILogger logger, string sink, Exception ex);
    }
}

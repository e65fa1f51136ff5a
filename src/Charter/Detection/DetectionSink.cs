// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Runtime.CompilerServices;
using Charter.Records;
using Microsoft.Extensions.Logging;

namespace Charter.Detection;

/// <summary>The online detection worker: consumes request records as the pipeline integrates them, off the request path.</summary>
/// <remarks>
/// A request's decision and completion arrive as two journal events; the record is observed once both are in (or at
/// once for a denial). The request body is read by the same <see cref="Charter.Detection.DetectionRecordParser"/> the
/// offline backtest uses (<see cref="DetectionRecordParser.TryParseRequest"/>, with the envelope taken from the journal
/// events instead of a log line), so online and offline verdicts come from the same code. The engine is single-threaded; the pipeline calls this sink from one loop.
/// </remarks>
public sealed partial class DetectionSink : IEventSink
{
    private const int MaxPending = 100_000;
    private readonly DetectionEngine _engine;
    private readonly DetectionRecordParser _parser = new();
    private readonly Dictionary<string, JournalEvent> _pending = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly IFindingStore _store;
    private readonly IEnumerable<IFindingActionHandler> _actions;
    private readonly ILogger<DetectionSink> _logger;

    /// <summary>Creates the sink.</summary>
    public DetectionSink(DetectionEngine engine, IFindingStore store, IEnumerable<IFindingActionHandler> actions, ILogger<DetectionSink> logger)
    {
        _engine = engine;
        _store = store;
        _actions = actions;
        _logger = logger;
    }

    /// <inheritdoc/>
    public string Name => "detection";

    /// <summary>The engine (for snapshots).</summary>
    public DetectionEngine Engine => _engine;

    /// <inheritdoc/>
    public Task<JournalPosition?> GetPositionAsync(CancellationToken cancellationToken) => Task.FromResult<JournalPosition?>(null);

    /// <inheritdoc/>
    public async Task ConsumeAsync(IReadOnlyList<JournalEvent> batch, JournalPosition position, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);

        ObserveBatch(batch);

        var findings = _engine.TakeFindings();
        if (findings.Count == 0)
        {
            return;
        }

        var records = findings.Select(ToRecord).ToList();
        await _store.AddAsync(records, cancellationToken).ConfigureAwait(false);
        foreach (var f in records)
        {
            Log.Finding(_logger, f.SubjectKind, f.SubjectId, f.Risk, f.Action);
            foreach (var handler in _actions)
            {
                await handler.ApplyAsync(f, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // A request and its completion in the same batch (the usual case) are observed at once; only a request whose
    // completion comes in a later batch waits in _pending (short-lived objects stay short-lived for the GC).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once per batch, looping over its rows: see docs/performance.md
    private void ObserveBatch(IReadOnlyList<JournalEvent> batch)
    {
        var events = JournalBatch.From(batch);
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (e.Kind == "request")
            {
                if (e.Decision == "deny" || e.Status is not null)
                {
                    Observe(e, null);
                }
                else if (events.CompletionOf(i) is { } done)
                {
                    Observe(e, done);
                }
                else if (!_pending.ContainsKey(e.Id))
                {
                    // Kept past this batch as a copy: the batch reuses the event, and its segment may be released before the
                    // completion comes.
                    _pending.Add(e.Id, e.Detach());
                    _order.Enqueue(e.Id);
                    TrimPending();
                }
            }
            else if (e.Kind == "completion")
            {
                if (events.RequestIndexOf(i) >= 0)
                {
                    continue; // observed with its request
                }

                if (_pending.Remove(e.Id, out var request))
                {
                    Observe(request, e);
                }
            }
        }
    }

    private void TrimPending()
    {
        // _order keeps arrival order; ids whose completion came are dropped lazily. Compact when mostly stale, so that it
        // never holds more than a few times the requests still waiting.
        if (_order.Count > 1024 && _order.Count > 4 * _pending.Count)
        {
            var waiting = _order.Where(_pending.ContainsKey).ToArray();
            _order.Clear();
            foreach (var id in waiting)
            {
                _order.Enqueue(id);
            }
        }

        while (_pending.Count > MaxPending && _order.TryDequeue(out var old))
        {
            _pending.Remove(old);
        }
    }

    private void Observe(JournalEvent request, JournalEvent? completion)
    {
        var envelope = new DetectionEnvelope(
            request.Ts.ToUnixTimeMilliseconds(),
            request.Key ?? "",
            request.Team ?? "",
            completion?.Provider ?? request.Provider ?? "",
            request.Model ?? "",
            request.Purpose ?? "",
            request.Endpoint ?? "",
            completion?.Status ?? request.Status ?? 0,
            completion?.PromptTokens ?? 0,
            completion?.CompletionTokens ?? 0,
            request.Id,
            request.EvalRun);
        if (_parser.TryParseRequest(request.Body.Span, in envelope, out var record) && record is not null)
        {
            _engine.Observe(record);
        }
    }

    private static FindingRecord ToRecord(DetectionFinding f) => new(
        "fnd_" + Guid.NewGuid().ToString("N")[..16],
        f.Subject.ToString().ToLowerInvariant(),
        f.Id,
        f.Team,
        Math.Round(f.Risk, 4),
        f.CrossedAt,
        f.RequestsObserved,
        f.Signals,
        f.TopSignals,
        f.SampleRequestIds,
        f.RecommendedAction.ToString().ToLowerInvariant(),
        f.Measure);

    private static partial class Log
    {
        [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "Detection finding: {Kind} {Id} risk {Risk} → {Action}.")]
        public static partial void Finding(ILogger logger, string kind, string id, double risk, string action);
    }
}

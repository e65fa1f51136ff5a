// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Collections;
using System.Runtime.CompilerServices;

namespace Charter.Records;

/// <summary>A batch of journal events in journal order, with each request paired to its completion when both are in it, so
/// that the request record, the audit leaf and detection's observation are each made once (the usual case: a request
/// completes within one integration interval).</summary>
/// <remarks>
/// The pairing is computed once per batch and shared by every consumer (records, audit, detection): the event pipeline keeps
/// one batch and reuses its storage, so a busy gateway allocates nothing here per batch (a dictionary per consumer and
/// batch was three large-object-heap arrays a batch under load, each one a trigger for a full collection).
/// A completion always follows its request in journal order; later completions of the same id (none in practice) are left
/// unpaired, in order.
/// The events the journal reads into the batch are the batch's own (<see cref="Rent"/>), reused for the next batch after
/// <see cref="Clear"/>: a consumer that keeps one past the batch keeps a copy (<see cref="JournalEvent.Detach"/>). That is
/// two objects of ~380 bytes a request the GC no longer sees.
/// </remarks>
public sealed class JournalBatch : IReadOnlyList<JournalEvent>
{
    private readonly List<JournalEvent> _events;
    private readonly List<JournalEvent> _owned = []; // events this batch hands out with Rent, for reuse after Clear
    private int _rented;
    private readonly Dictionary<string, int> _requestIndex = new(StringComparer.Ordinal);
    private int[] _partner = [];
    private bool _paired;

    /// <summary>Creates an empty batch (the event pipeline's, filled with <see cref="Add"/>).</summary>
    public JournalBatch()
    {
        _events = [];
    }

    private JournalBatch(IReadOnlyList<JournalEvent> events)
    {
        _events = [.. events];
    }

    /// <inheritdoc/>
    public int Count => _events.Count;

    /// <inheritdoc/>
    public JournalEvent this[int index] => _events[index];

    /// <summary>The batch itself when <paramref name="events"/> is one (its pairing is shared), or a new batch over a copy.</summary>
    public static JournalBatch From(IReadOnlyList<JournalEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        return events as JournalBatch ?? new JournalBatch(events);
    }

    /// <summary>Appends an event.</summary>
    public void Add(JournalEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        _events.Add(e);
        _paired = false;
    }

    /// <summary>An event for the batch to <see cref="Add"/>: one of its own, cleared by the last <see cref="Clear"/>, or a new
    /// one it keeps for reuse.</summary>
    public JournalEvent Rent()
    {
        if (_rented == _owned.Count)
        {
            _owned.Add(JournalEvent.CreateEmpty());
        }

        return _owned[_rented++];
    }

    /// <summary>Empties the batch, keeping its storage. The events it handed out with <see cref="Rent"/> are cleared (they
    /// hold no string or body of this batch for the GC to keep) and handed out again.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once per batch, looping over its rows: see docs/performance.md
    public void Clear()
    {
        _events.Clear();
        for (var i = 0; i < _rented; i++)
        {
            _owned[i].Clear();
        }

        _rented = 0;
        _paired = false;
    }

    /// <summary>The completion in this batch of the request at <paramref name="index"/>, or null.</summary>
    public JournalEvent? CompletionOf(int index)
    {
        EnsurePaired();
        var partner = _partner[index];
        return partner > index ? _events[partner] : null;
    }

    /// <summary>The index of the request in this batch that the completion at <paramref name="index"/> is paired with, or -1.</summary>
    public int RequestIndexOf(int index)
    {
        EnsurePaired();
        var partner = _partner[index];
        return partner >= 0 && partner < index ? partner : -1;
    }

    /// <inheritdoc/>
    public IEnumerator<JournalEvent> GetEnumerator() => _events.GetEnumerator();

    /// <inheritdoc/>
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once per batch, looping over its rows: see docs/performance.md
    private void EnsurePaired()
    {
        if (_paired)
        {
            return;
        }

        var count = _events.Count;
        if (_partner.Length < count)
        {
            _partner = new int[Math.Max(count, _partner.Length * 2)];
        }

        _partner.AsSpan(0, count).Fill(-1);
        _requestIndex.Clear();
        for (var i = 0; i < count; i++)
        {
            var e = _events[i];
            if (e.Kind == "request")
            {
                _requestIndex.TryAdd(e.Id, i);
            }
            else if (e.Kind == "completion" && _requestIndex.TryGetValue(e.Id, out var request) && _partner[request] < 0)
            {
                _partner[request] = i;
                _partner[i] = request;
            }
        }

        _requestIndex.Clear();
        _paired = true;
    }
}

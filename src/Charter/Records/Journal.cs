// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Buffers.Binary;
using Charter.Configuration;

namespace Charter.Records;

/// <summary>The local write-ahead journal: every event is written here before the request it describes is forwarded.</summary>
/// <remarks>
/// <code>
///  request path ──Append──► [len|crc|event] copied into the mapped segment N (a tmpfs memory file on Linux, else the
///                              │                 segment file; either survives kill -9)
///                              │                 └─ flusher: every FsyncIntervalMs (or before Append returns, "always"),
///                              │                    copies what was appended since the last one into the segment file
///                              │                    and fsyncs it (or msyncs the mapped segment file), then maps the next
///                              │                    pages writable (MADV_POPULATE_WRITE) so that appends take no page fault
///                              └─ EventPipeline reads the frames back from the mapped segments (Read), in batches,
///                                 into the database, audit and detection
///  start-up: Recover(position stored in the database) re-reads entries after it (from a memory file that holds more than
///            its segment file, copying it over), truncating a torn tail.
/// </code>
/// One memory copy per event under a lock (no system call: <see cref="MappedSegment"/>); no database work on the request path.
/// <para>
/// The integrator reads the events back from the segments (<see cref="Read"/>) instead of being handed the appended
/// objects: an appended event dies young, with its request, and events waiting for their batch are bytes in the page cache,
/// not objects every GC copies. A pipeline that fell behind used to grow the heap with its backlog (a GC trace with the
/// integrator held back: gen2 from 114 to 321 MB in 20 s, pauses of 43-264 ms); read back, the heap stays flat and the
/// pauses short (docs/performance.md).
/// </para>
/// <para>
/// Segments are recycled: an integrated segment this process wrote is kept as <c>journal.spare</c> and becomes the next
/// segment, so its pages are still in the page cache. A fresh sparse segment made the kernel allocate and zero-fill every
/// page on the first write to it (readahead over a hole): appends took 6.6 % of the CPU at saturation on new segments and
/// 3.6 % on recycled ones (docs/performance.md). A recycled segment still holds
/// old frames past the write position, so each frame's checksum is salted with its segment number
/// (<c>crc32(payload) xor salt(segment)</c>): a stale frame fails the check in its new segment and recovery stops there, as
/// at a zeroed tail. Frames written before salting (a journal from an older build) carry the bare crc32 and are still
/// read; only segments this process created are recycled, so a recycled file never holds such frames.
/// </para>
/// <para>
/// Memory files (<see cref="RecordsOptions.JournalHotDirectory"/>, <see cref="MappedSegment.OpenMirrored"/>): tmpfs pages
/// are never written back, so a sync leaves them mapped and writable, and the spare keeps its memory file and mapping
/// (<c>journal.spare</c> in the memory folder) for the next roll to reuse in place: after the first few segments the appends
/// write no new page. A memory file is created after its segment file and deleted before it, so one without a segment
/// file is a released segment's, which recovery ignores. Graceful shutdown deletes the memory folder once everything is
/// synced; a killed process leaves it for the next start.
/// </para>
/// </remarks>
public sealed class Journal : IAsyncDisposable
{
    private const int HeaderSize = 8;
    private const string SpareName = "journal.spare";
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    private readonly RecordsOptions _options;
    private readonly string _directory;
    private readonly Lock _lock = new();
    private readonly Lock _flushGate = new(); // one Flush at a time (taken before _lock, never inside it)
    private readonly bool _always;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _dirty = new(0, 1); // not disposed: an append racing shutdown may still release it
    private readonly List<(long Segment, MappedSegment Map, long End)> _retired = []; // full segments, mapped until integrated
    private List<(MappedSegment Map, int Generation, long From, long To)> _toSync = []; // full segments' bytes the next flush syncs
    private readonly string? _hot; // the memory folder of mirrored segments (JournalHotDirectory), or null
    private MappedSegment? _handle;
    private MappedSegment? _spareMap; // the spare's mirrored mapping, reused in place with its memory file
    private long _segment;
    private long _firstOwnSegment = long.MaxValue; // segments from this number on were created by this process
    private long _offset;
    private long _written;
    private long _flushed;
    private bool _flushRequested; // an append since the flusher last started a flush: it has been woken (or will be)
    private long _flusherWakeups;
    private bool _directoryDirty; // a segment was created or renamed since the directory was last synced
    private long _directorySyncs;
    private long _syncedSegment = -1; // the bytes of this segment before _syncedOffset are on disk
    private long _syncedOffset;
    private long _prefaultSegment = -1; // flusher only: how far ahead of the appends the pages are mapped writable
    private long _prefaultedTo;
    private long _prefaultSeen;
    private TaskCompletionSource _nextFlush = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _flusherDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Thread? _flusher;
    private TaskCompletionSource? _appendWaiter; // the integrator waiting for an append (WaitForAppendAsync)
    private JournalPosition _recoveredEnd;
    private readonly JournalStringCache _strings = new(); // Read's, one reader

    /// <summary>Creates a journal over <paramref name="directory"/>.</summary>
    public Journal(RecordsOptions options, string directory)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _directory = directory;
        _always = options.Fsync == "always";
        Directory.CreateDirectory(directory);
        InstanceId = LoadOrCreateInstanceId(directory);
        _hot = CreateHotDirectory(options.JournalHotDirectory, InstanceId);
    }

    /// <summary>The folder of the segment files.</summary>
    public string SegmentDirectory => _directory;

    /// <summary>The folder of this journal's memory files (mirrored segments), or null when segments map their files directly.</summary>
    public string? HotDirectory => _hot;

    /// <summary>Whether the segment appends go to now is a memory file (false when the memory folder had no room for it).</summary>
    public bool AppendsToMemoryFile
    {
        get
        {
            lock (_lock)
            {
                return _handle?.IsMirrored == true;
            }
        }
    }

    /// <summary><c>/dev/shm</c> when it is a tmpfs (Linux), else null: the default of <see cref="RecordsOptions.JournalHotDirectory"/>.</summary>
    internal static string? DefaultHotRoot()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            foreach (var line in File.ReadLines("/proc/self/mounts"))
            {
                var fields = line.Split(' ');
                if (fields.Length > 2 && fields[1] == "/dev/shm" && fields[2] == "tmpfs")
                {
                    return "/dev/shm";
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // No mount table: no memory folder.
        }

        return null;
    }

    // The instance's own folder under the configured root, private to this user (0700; one that exists with other
    // permissions, perhaps made by someone else, is not used), or null: no memory folder, or none that can be used.
    private static string? CreateHotDirectory(string? configured, string instanceId)
    {
        var root = configured switch
        {
            null or "" => DefaultHotRoot(),
            "none" => null,
            _ => configured,
        };
        if (root is null)
        {
            return null;
        }

        try
        {
            var path = Path.Combine(root, "charter-journal-" + instanceId);
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(path);
                return path;
            }

            const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            Directory.CreateDirectory(path, Private);
            return File.GetUnixFileMode(path) == Private ? path : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// This journal's identity (a random id kept in the file <c>instance-id</c> of its directory). Several gateway instances
    /// share one database but each has its own journal: positions in the database are kept per instance under this id.
    /// </summary>
    public string InstanceId { get; }

    /// <summary>Where the journal stood after <see cref="Recover"/>: the integrator reads what is appended from here.</summary>
    public JournalPosition RecoveredEnd => _recoveredEnd;

    /// <summary>Position after the last appended event.</summary>
    public JournalPosition Head
    {
        get
        {
            lock (_lock)
            {
                return new JournalPosition(_segment, _offset);
            }
        }
    }

    private static string LoadOrCreateInstanceId(string directory)
    {
        var path = Path.Combine(directory, "instance-id");
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (existing.Length > 0)
            {
                return existing;
            }
        }

        var id = Guid.NewGuid().ToString("N")[..16];
        var temp = path + ".tmp";
        File.WriteAllText(temp, id + "\n");
        File.Move(temp, path, overwrite: true);
        return id;
    }

    /// <summary>Reads every intact event after <paramref name="from"/>, truncates a torn tail, and opens the journal for appending.</summary>
    public IReadOnlyList<JournalEvent> Recover(JournalPosition from)
    {
        var recovered = new List<JournalEvent>();
        var segments = ListSegments();
        long lastSegment = Math.Max(from.Segment, 1);
        long lastOffset = 0;
        foreach (var seg in segments)
        {
            var path = SegmentPath(seg);
            var data = File.ReadAllBytes(path);
            var pos = ValidLength(data, seg);
            if (ReadHot(seg) is { } hot && ValidLength(hot, seg) is var hotEnd && hotEnd > pos
                && hot.AsSpan(0, (int)pos).SequenceEqual(data.AsSpan(0, (int)pos)))
            {
                // A process killed before its last syncs: the memory file holds more than the durable one (which holds a
                // prefix of it). Written to the durable file now, since the memory files go below.
                using (var file = File.OpenHandle(path, FileMode.Open, FileAccess.Write))
                {
                    RandomAccess.Write(file, hot.AsSpan(0, (int)hotEnd), 0);
                    RandomAccess.FlushToDisk(file);
                }

                data = hot;
                pos = hotEnd;
            }

            for (long at = 0; at < pos;)
            {
                var len = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan((int)at));
                var payload = data.AsSpan((int)at + HeaderSize, len);
                at += HeaderSize + len;
                var position = new JournalPosition(seg, at);
                if (position.IsAfter(from))
                {
                    var e = JournalEventSerializer.Read(payload);
                    e.Position = position;
                    recovered.Add(e);
                }
            }

            if (pos < new FileInfo(path).Length)
            {
                // A torn tail from a crash mid-write: cut it so new entries follow intact ones.
                using var fs = new FileStream(path, FileMode.Open, FileAccess.Write);
                fs.SetLength(pos);
            }

            lastSegment = seg;
            lastOffset = pos;
        }

        // Every memory file is in its durable file now (a memory file without one is a released segment's): the segment
        // appends continue in gets a new one below.
        DeleteHotFiles();
        // A spare left by an earlier process is not reused: its frames' segment numbers are only known to be older than
        // every segment this process creates while the segments it came from are still listed.
        File.Delete(SparePath);
        _firstOwnSegment = File.Exists(SegmentPath(lastSegment)) ? lastSegment + 1 : lastSegment; // a new file holds no old frames
        OpenSegment(lastSegment, lastOffset);
        _recoveredEnd = new JournalPosition(lastSegment, lastOffset);
        // A thread of its own: msync and fsync block for milliseconds, which on a pool thread would hold up requests (and,
        // with several gateways in one process, starve the pool).
        _flusher = new Thread(FlushLoop) { IsBackground = true, Name = "Charter journal flusher" };
        _flusher.Start();
        return recovered;
    }

    /// <summary>Appends an event; when this returns the event is in the OS (and on disk in <c>always</c> mode).</summary>
    /// <remarks>
    /// The event is serialised into the journal, so the caller may reuse the buffer of its <see cref="JournalEvent.Body"/>
    /// once this returns (the request path passes its pooled request buffer), and the event itself is not kept: the
    /// integrator reads it back (<see cref="Read"/>). Its <see cref="JournalEvent.Position"/> is set.
    /// </remarks>
    public ValueTask AppendAsync(JournalEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var header = buffer.GetSpan(HeaderSize);
        buffer.Advance(HeaderSize);
        JournalEventSerializer.Write(e, buffer);
        var written = buffer.WrittenCount;
        var span = MemoryMarshal(buffer);
        var payloadLength = written - HeaderSize;
        BinaryPrimitives.WriteInt32LittleEndian(span, payloadLength);
        var crc = System.IO.Hashing.Crc32.HashToUInt32(span.Slice(HeaderSize, payloadLength));
        Task? wait = null;
        var wake = false;
        TaskCompletionSource? reader;
        lock (_lock)
        {
            if (_handle is null)
            {
                throw new InvalidOperationException("Journal.Recover must run before Append.");
            }

            if (_offset + written > _handle.Capacity)
            {
                // Roll to the next segment. The full one stays mapped until ReleaseUpTo passes it (its events' bodies point
                // into it). With fsync=always it is synced here, before any waiter of this generation can be released;
                // otherwise what it holds since the last sync goes to the flusher's next flush, like any append: its sync
                // (a writeback and a journal commit, milliseconds) used to run on the thread of the request that rolled,
                // which may be a socket thread serving other connections too.
                var retired = _handle;
                _handle = null;
                _retired.Add((_segment, retired, _offset));
                var unsynced = _syncedSegment == _segment ? _syncedOffset : 0;
                if (_always)
                {
                    retired.FlushRange(unsynced, _offset);
                }
                else
                {
                    _toSync.Add((retired, retired.Generation, unsynced, _offset));
                }

                OpenSegment(_segment + 1, 0, written);
            }

            BinaryPrimitives.WriteUInt32LittleEndian(span[4..], crc ^ Salt(_segment));
            _handle.Write(span[..written], _offset);
            _offset += written;
            _written++;
            e.Position = new JournalPosition(_segment, _offset);
            reader = _appendWaiter;
            _appendWaiter = null;
            if (_always)
            {
                wait = _nextFlush.Task;
            }

            if (!_flushRequested)
            {
                _flushRequested = true;
                wake = true;
            }
        }

        if (wake)
        {
            _dirty.Release(); // at most once per flush: the flusher clears the flag only after taking the signal
        }

        reader?.TrySetResult();
        return wait is null ? ValueTask.CompletedTask : new ValueTask(wait);
    }

    /// <summary>Reads up to <paramref name="max"/> events appended after <paramref name="from"/> (a position from
    /// <see cref="RecoveredEnd"/> or an event read before) into <paramref name="into"/>, in journal order.</summary>
    /// <returns>The position after the last event read (<paramref name="from"/> when there was none).</returns>
    /// <remarks>
    /// The frames are parsed outside the lock: the bytes before the head never change, and a segment stays mapped until
    /// <see cref="ReleaseUpTo"/> passes it, which the integrator calls only for what it has read. A request event's
    /// <see cref="JournalEvent.Body"/> is memory over the mapped segment, valid until then, and the events are the batch's
    /// own (<see cref="JournalBatch.Rent"/>), reused after its next <see cref="JournalBatch.Clear"/>: an event kept longer
    /// is kept as a copy (<see cref="JournalEvent.Detach"/>). Checksums are not verified: these are this process's own
    /// bytes in memory. One reader at a time (the integrator): the strings the events share come from one cache
    /// (<see cref="JournalStringCache"/>).
    /// </remarks>
    public JournalPosition Read(JournalPosition from, JournalBatch into, int max)
    {
        ArgumentNullException.ThrowIfNull(into);
        var at = from;
        var read = 0;
        while (read < max)
        {
            MappedSegment map;
            long end;
            bool current;
            lock (_lock)
            {
                (map, end, current) = SegmentAt(at.Segment);
            }

            var offset = at.Offset;
            while (read < max && offset < end)
            {
                var length = BinaryPrimitives.ReadInt32LittleEndian(map.Span(offset, HeaderSize));
                var payloadAt = offset + HeaderSize;
                offset = payloadAt + length;
                JournalEvent e;
                if (map.TrySlice(payloadAt, length, out var payload))
                {
                    e = into.Rent();
                    if (!JournalEventSerializer.TryReadInto(e, payload, _strings))
                    {
                        e = JournalEventSerializer.Read(payload, _strings); // an older build's JSON frame
                    }
                }
                else
                {
                    e = JournalEventSerializer.Read(map.Span(payloadAt, length));
                }

                e.Position = new JournalPosition(at.Segment, offset);
                into.Add(e);
                read++;
            }

            at = new JournalPosition(at.Segment, offset);
            if (offset < end || current)
            {
                break;
            }

            at = new JournalPosition(at.Segment + 1, 0); // a full segment read to its end: its successor is next
        }

        return at;
    }

    /// <summary>Completes when an event is appended after <paramref name="after"/> (at once when one already is).</summary>
    public Task WaitForAppendAsync(JournalPosition after, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (new JournalPosition(_segment, _offset).IsAfter(after))
            {
                return Task.CompletedTask;
            }

            _appendWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _appendWaiter.Task.WaitAsync(cancellationToken);
        }
    }

    // The mapping of a segment, how far it is written, and whether appends still go to it. Called under _lock.
    private (MappedSegment Map, long End, bool Current) SegmentAt(long segment)
    {
        if (segment == _segment && _handle is not null)
        {
            return (_handle, _offset, true);
        }

        foreach (var (number, map, end) in _retired)
        {
            if (number == segment)
            {
                return (map, end, false);
            }
        }

        throw new InvalidOperationException($"Journal segment {segment} is not mapped: it was released, or never written by this process.");
    }

    /// <summary>Deletes segments wholly before <paramref name="integrated"/>, keeping one this process wrote as the spare.</summary>
    public void ReleaseUpTo(JournalPosition integrated)
    {
        // Unmap full segments the integrator is done with (their events' bodies point into them) before their files go.
        List<(long Segment, MappedSegment Map)>? unmap = null;
        lock (_lock)
        {
            for (var i = _retired.Count - 1; i >= 0; i--)
            {
                if (_retired[i].Segment < integrated.Segment)
                {
                    (unmap ??= []).Add((_retired[i].Segment, _retired[i].Map));
                    _retired.RemoveAt(i);
                }
            }
        }

        foreach (var seg in ListSegments())
        {
            if (seg >= integrated.Segment)
            {
                continue;
            }

            var path = SegmentPath(seg);
            try
            {
                // Under the lock: a roll takes the spare's files and mapping together (OpenSegment).
                lock (_lock)
                {
                    if (seg >= _firstOwnSegment && !File.Exists(SparePath) && new FileInfo(path).Length == _options.SegmentBytes)
                    {
                        File.Move(path, SparePath);
                        KeepSpareMap(seg, unmap);
                        continue;
                    }
                }

                if (_hot is not null)
                {
                    File.Delete(HotPath(seg)); // before the durable file: a memory file alone is a released segment's
                }

                File.Delete(path);
            }
            catch (IOException)
            {
                // Retried on the next release.
            }
        }

        unmap?.ForEach(m => m.Map.Dispose());
    }

    // The mapping of the segment that just became the spare is kept, with its memory file, when it is mirrored: the next
    // roll reuses it in place. Under _lock.
    private void KeepSpareMap(long segment, List<(long Segment, MappedSegment Map)>? unmap)
    {
        var i = unmap?.FindIndex(m => m.Segment == segment && m.Map.IsMirrored) ?? -1;
        if (i < 0)
        {
            return;
        }

        DropSpareMap();
        try
        {
            File.Move(HotPath(segment), HotSparePath, overwrite: true);
            var map = unmap![i].Map;
            map.Retire(); // its events' bodies throw from now on, as if it were unmapped
            _spareMap = map;
            unmap.RemoveAt(i);
        }
        catch (IOException)
        {
            // Unmapped with the others; its memory file goes at the next recovery.
        }
    }

    /// <summary>Syncs to disk now everything appended so far (and the directory after a new segment).</summary>
    /// <remarks>
    /// One flush at a time: a flush that ran while the flusher's was still syncing the full segments it had taken would
    /// return before those were synced (with memory files, before they were even in the segment files).
    /// </remarks>
    public void Flush()
    {
        lock (_flushGate)
        {
            FlushOnce();
        }
    }

    private void FlushOnce()
    {
        // The syncs run outside the lock: appends (copies into the mapping at their own offsets) go on while the disk
        // catches up; only the waiters of this generation are released afterwards.
        TaskCompletionSource done;
        MappedSegment? handle;
        long written;
        long segment;
        long from;
        long to;
        bool syncDirectory;
        List<(MappedSegment Map, int Generation, long From, long To)>? full = null;
        var generation = -1;
        lock (_lock)
        {
            handle = _handle;
            generation = handle?.Generation ?? -1;
            written = _written;
            segment = _segment;
            from = _syncedSegment == segment ? _syncedOffset : 0;
            to = _offset;
            syncDirectory = _directoryDirty;
            _directoryDirty = false;
            if (_toSync.Count > 0)
            {
                (full, _toSync) = (_toSync, []);
            }

            done = _nextFlush;
            _nextFlush = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        // Segments that filled up since the last flush: what they got after it.
        foreach (var (map, mapGeneration, start, end) in full ?? [])
        {
            try
            {
                map.FlushRange(start, end, mapGeneration); // a mapping reused since holds another segment: skipped
            }
            catch (ObjectDisposedException)
            {
                // Released: its events are integrated already.
            }
            catch (IOException)
            {
                lock (_lock)
                {
                    _toSync.Add((map, mapGeneration, start, end)); // tried again by the next flush
                }
            }
        }

        if (handle is null)
        {
            done.TrySetResult();
            return;
        }

        var synced = true;
        try
        {
            // Only what was appended since the last sync: pages ahead stay as Prefault left them (writable).
            handle.FlushRange(from, to, generation);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or IOException)
        {
            // Released meanwhile (it rolled, and its events are integrated), or an I/O error: the range stays unsynced, to
            // be synced again by the next flush. (A roll meanwhile queued what the segment got after this snapshot.)
            synced = false;
        }

        if (syncDirectory)
        {
            // The new segment's name too, before its waiters hear that their events are on disk.
            try
            {
                DirectorySync.Sync(_directory);
                Interlocked.Increment(ref _directorySyncs);
                syncDirectory = false;
            }
            catch (IOException)
            {
                // Tried again by the next flush.
            }
        }

        lock (_lock)
        {
            _directoryDirty |= syncDirectory; // still to do
            _flushed = Math.Max(_flushed, written);
            if (synced && (segment > _syncedSegment || (segment == _syncedSegment && to > _syncedOffset)))
            {
                _syncedSegment = segment;
                _syncedOffset = to;
            }
        }

        done.TrySetResult();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_flusher is not null)
        {
            await _flusherDone.Task.ConfigureAwait(false);
        }

        Flush();
        bool synced;
        lock (_lock)
        {
            synced = _toSync.Count == 0 && (_handle is null || _written == 0 || (_syncedSegment == _segment && _syncedOffset == _offset));
            _handle?.Dispose();
            _handle = null;
            _retired.ForEach(r => r.Map.Dispose());
            _retired.Clear();
            DropSpareMap();
        }

        if (synced && _hot is not null)
        {
            // Everything is in the durable files: the memory files would only hold memory until the next start.
            try
            {
                Directory.Delete(_hot, recursive: true);
            }
            catch (IOException)
            {
                // Deleted by the next recovery.
            }
        }

        _stop.Dispose();
    }

    private static Span<byte> MemoryMarshal(ArrayBufferWriter<byte> buffer) =>
        System.Runtime.InteropServices.MemoryMarshal.AsMemory(buffer.WrittenMemory).Span;

    /// <summary>How often the flusher has woken up (for tests: an idle journal must not wake it).</summary>
    internal long FlusherWakeups => Interlocked.Read(ref _flusherWakeups);

    /// <summary>Full segments whose last bytes wait for the next flush (for tests).</summary>
    internal int SegmentsAwaitingSync
    {
        get
        {
            lock (_lock)
            {
                return _toSync.Count;
            }
        }
    }

    /// <summary>How often a flush has synced the journal's directory (for tests: once after each new segment).</summary>
    internal long DirectorySyncs => Interlocked.Read(ref _directorySyncs);

    /// <summary>Where the current segment is mapped in this process (for tests: a reused mapping keeps its address).</summary>
    internal nint HeadMappingAddress
    {
        get
        {
            lock (_lock)
            {
                return _handle?.Address ?? 0;
            }
        }
    }

    /// <summary>The offset in the current segment up to which the flusher has mapped pages ahead of the appends (for tests).</summary>
    internal long PrefaultedTo => Volatile.Read(ref _prefaultedTo);

    private void FlushLoop()
    {
        try
        {
            FlushUntilStopped();
            _flusherDone.TrySetResult();
        }
        catch (Exception ex)
        {
            _flusherDone.TrySetException(ex); // surfaces in DisposeAsync instead of ending the process
        }
    }

    private void FlushUntilStopped()
    {
        // Sleeps until an append, then waits one interval so that what follows shares the fsync. It used to poll every
        // interval (every 1 ms with fsync=always) even when nothing was written: most of an idle gateway's wake-ups.
        var interval = TimeSpan.FromMilliseconds(_always ? 1 : _options.FsyncIntervalMs);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                _dirty.Wait(_stop.Token);
                Interlocked.Increment(ref _flusherWakeups);
                if (_stop.Token.WaitHandle.WaitOne(interval))
                {
                    break;
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }

            bool dirty;
            lock (_lock)
            {
                _flushRequested = false; // appends from here on wake the flusher again
                dirty = _written != _flushed;
            }

            if (dirty)
            {
                Flush();
                PrefaultAhead();
            }
        }
    }

    /// <summary>
    /// Maps the segment's next pages writable in one system call, about twice what the last interval appended, so that
    /// the appends copy into mapped pages instead of taking a page fault per 4 KB page (on this project's VM a fault costs
    /// several µs: 2.6 % of the CPU at saturation went to the appends' faults; docs/performance.md).
    /// </summary>
    private void PrefaultAhead()
    {
        const long Least = 64 * 1024;
        const long Most = 4 * 1024 * 1024;
        MappedSegment? handle;
        long segment;
        long offset;
        lock (_lock)
        {
            handle = _handle;
            segment = _segment;
            offset = _offset;
        }

        if (handle is null)
        {
            return;
        }

        if (segment != _prefaultSegment)
        {
            _prefaultSegment = segment;
            Volatile.Write(ref _prefaultedTo, 0);
            _prefaultSeen = 0;
        }

        var appended = offset - _prefaultSeen;
        _prefaultSeen = offset;
        var to = Math.Min(handle.Capacity, offset + Math.Clamp(2 * appended, Least, Most));
        var from = Math.Max(offset, _prefaultedTo);
        if (to <= from)
        {
            return;
        }

        try
        {
            handle.Prefault(from, to);
            Volatile.Write(ref _prefaultedTo, to);
        }
        catch (ObjectDisposedException)
        {
            // The segment rolled and was released meanwhile.
        }
    }

    [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(_handle))]
    private void OpenSegment(long segment, long offset, long atLeast = 0)
    {
        _handle?.Dispose();
        _handle = null;
        var path = SegmentPath(segment);
        var recycled = false;
        if (offset == 0 && atLeast <= _options.SegmentBytes && !File.Exists(path) && File.Exists(SparePath))
        {
            try
            {
                File.Move(SparePath, path); // its old frames fail the salted checksum of this segment number
                recycled = true;
            }
            catch (IOException)
            {
                // A fresh segment instead.
            }
        }

        if (recycled && _spareMap is { } spare)
        {
            // The spare's memory file and mapping too: its pages are mapped and writable already.
            _spareMap = null;
            try
            {
                File.Move(HotSparePath, HotPath(segment));
                spare.Reuse(path);
                _handle = spare;
            }
            catch (IOException)
            {
                spare.Dispose();
            }
        }

        DropSpareMap();
        _handle ??= Map(segment, path, Math.Max(_options.SegmentBytes, offset + atLeast), offset);
        _directoryDirty = true; // created, or renamed from the spare: the next flush syncs the directory
        _segment = segment;
        _offset = offset;
    }

    // A mirrored segment when there is a memory folder with room, else the segment file mapped directly.
    private MappedSegment Map(long segment, string path, long capacity, long offset)
    {
        if (_hot is not null)
        {
            try
            {
                return MappedSegment.OpenMirrored(HotPath(segment), path, capacity, prefix: offset);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // No room in the memory folder (or it went away): this segment maps its file.
            }
        }

        return MappedSegment.Open(path, capacity);
    }

    // Unmaps a spare mapping that is not taken (its memory file goes with it). Under _lock.
    private void DropSpareMap()
    {
        if (_spareMap is null)
        {
            return;
        }

        _spareMap.Dispose();
        _spareMap = null;
        try
        {
            File.Delete(HotSparePath);
        }
        catch (IOException)
        {
            // Deleted by the next recovery.
        }
    }

    private string SparePath => Path.Combine(_directory, SpareName);

    private string HotSparePath => Path.Combine(_hot!, SpareName);

    private string HotPath(long segment) => Path.Combine(_hot!, $"journal-{segment:D8}.log");

    // The length of the intact frames a segment's bytes start with: up to a torn write, the zeroed tail, or a stale frame
    // of a recycled segment.
    private static long ValidLength(byte[] data, long segment)
    {
        long pos = 0;
        while (pos + HeaderSize <= data.Length)
        {
            var len = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan((int)pos));
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan((int)pos + 4));
            if (len <= 0 || pos + HeaderSize + len > data.Length)
            {
                break;
            }

            var actual = System.IO.Hashing.Crc32.HashToUInt32(data.AsSpan((int)pos + HeaderSize, len));
            if (crc != (actual ^ Salt(segment)) && crc != actual)
            {
                break;
            }

            pos += HeaderSize + len;
        }

        return pos;
    }

    private byte[]? ReadHot(long segment)
    {
        if (_hot is null)
        {
            return null;
        }

        try
        {
            return File.ReadAllBytes(HotPath(segment));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private void DeleteHotFiles()
    {
        if (_hot is null)
        {
            return;
        }

        try
        {
            foreach (var file in Directory.EnumerateFiles(_hot))
            {
                File.Delete(file);
            }
        }
        catch (DirectoryNotFoundException)
        {
            // Gone (a restart emptied the tmpfs, or someone cleaned it): segments map their files until it is back.
        }
    }

    /// <summary>The checksum salt of a segment: distinct for distinct segment numbers (an odd multiplier is a bijection on 32 bits) and never zero below 2^32 - 1.</summary>
    internal static uint Salt(long segment) => unchecked((uint)(segment + 1) * 0x9E3779B1u);

    private string SegmentPath(long segment) => Path.Combine(_directory, $"journal-{segment:D8}.log");

    private List<long> ListSegments()
    {
        var list = new List<long>();
        foreach (var file in Directory.EnumerateFiles(_directory, "journal-*.log"))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (long.TryParse(name.AsSpan("journal-".Length), out var n))
            {
                list.Add(n);
            }
        }

        list.Sort();
        return list;
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.IO.MemoryMappedFiles;
using Microsoft.Win32.SafeHandles;

namespace Charter.Records;

/// <summary>One journal segment file, mapped into memory for writing.</summary>
/// <remarks>
/// <para>
/// A segment is mapped one of two ways. <see cref="Open"/> maps the durable file itself; a sync is an <c>msync</c>.
/// <see cref="OpenMirrored"/> maps a file on a memory file system (tmpfs, <c>RecordsOptions.JournalHotDirectory</c>) and
/// keeps the durable file beside it; a sync copies what was appended into the durable file (<c>pwrite</c>) and syncs that.
/// A tmpfs page is never written back, so it stays writable in the mapping: no page is write-protected again by a sync
/// and faulted again by the next append, and a mirrored segment can be <see cref="Reuse">reused</see> for a later segment
/// with all its pages still mapped (each new page costs ~20 µs on this project's VM; docs/performance.md).
/// </para>
/// <para>
/// Writing an event is a memory copy into the shared mapping: the bytes are in the OS page cache the moment the copy ends,
/// so they survive the process being killed (like a <c>pwrite</c>) without a system call per event. <see cref="Flush"/>
/// (<c>msync</c> + <c>fsync</c>) makes them survive power loss. The file is sized to its capacity up front; the unused tail
/// reads as zeros, which recovery takes as the end of the entries. A mirrored segment's memory file survives the process
/// being killed too (tmpfs outlives the process, not the machine), and its sync copies what is new into the durable file.
/// </para>
/// <para>
/// <see cref="TrySlice"/> hands out what was written as <see cref="ReadOnlyMemory{T}"/> over the mapping itself, so that the
/// events the integrator reads back need no copy of their request bodies. Such memory is valid until <see cref="Dispose"/>;
/// reading it afterwards throws <see cref="ObjectDisposedException"/> (a span taken before and kept past it is the one
/// misuse nothing can catch: the journal unmaps a segment only after the integrator is done with its events). After
/// <see cref="Reuse"/> such memory throws the same way.
/// </para>
/// </remarks>
internal sealed unsafe partial class MappedSegment : IDisposable
{
    private static readonly long s_pageMask = ~(long)(Environment.SystemPageSize - 1); // msync needs a page-aligned start
    private const int MsSync = 4; // MS_SYNC
    private const int MadvPopulateWrite = 23; // MADV_POPULATE_WRITE, Linux 5.14
    private static bool s_prefaultUnsupported = !OperatingSystem.IsLinux();

    private readonly SafeFileHandle _file;
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly Lock _sync = new(); // a mirrored segment's copy to its durable file, against Reuse and Dispose
    private SafeFileHandle? _durable; // mirrored: the durable file the mapped (tmpfs) one is copied to
    private View? _memory;
    private byte* _base;
    private int _generation;

    private MappedSegment(SafeFileHandle file, MemoryMappedFile map, MemoryMappedViewAccessor view, long capacity, SafeFileHandle? durable)
    {
        _file = file;
        _map = map;
        _view = view;
        _durable = durable;
        Capacity = capacity;
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + view.PointerOffset;
        _memory = capacity <= int.MaxValue ? new View(this) : null;
    }

    /// <summary>Bytes the segment can hold.</summary>
    public long Capacity { get; }

    /// <summary>Whether the mapping is a memory file copied to a durable file on sync (<see cref="OpenMirrored"/>).</summary>
    public bool IsMirrored => _durable is not null;

    /// <summary>How often the segment was <see cref="Reuse">reused</see>: a sync asked for an earlier generation is skipped.</summary>
    public int Generation => Volatile.Read(ref _generation);

    /// <summary>Where the mapping starts in this process's address space (for tests that read <c>/proc/self/pagemap</c>).</summary>
    internal nint Address => (nint)_base;

    /// <summary>Opens (or creates) the file at <paramref name="path"/>, extends it to <paramref name="capacity"/> bytes and maps it.</summary>
    public static MappedSegment Open(string path, long capacity)
    {
        var file = OpenSegmentFile(path, capacity);
        try
        {
            return Map(file, Math.Max(capacity, RandomAccess.GetLength(file)), durable: null);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Maps a new file at <paramref name="hotPath"/> (on a memory file system) of <paramref name="capacity"/> bytes, all of
    /// them allocated now, and opens (or creates) the durable file at <paramref name="durablePath"/>, whose first
    /// <paramref name="prefix"/> bytes are copied into the mapping: the mapping mirrors the durable file, which
    /// <see cref="FlushRange"/> brings up to date.
    /// </summary>
    /// <exception cref="IOException">The memory file system has no room for the segment (nothing is left behind).</exception>
    /// <remarks>
    /// Every page is allocated up front (<c>fallocate</c>) because a write through a mapping to a full tmpfs kills the process
    /// (<c>SIGBUS</c>); a full one fails here instead, and the journal maps the durable file instead. The durable file is
    /// opened first: a memory file whose durable file is missing was released (recovery relies on that).
    /// </remarks>
    public static MappedSegment OpenMirrored(string hotPath, string durablePath, long capacity, long prefix)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(prefix);
        var durable = OpenSegmentFile(durablePath, capacity);
        SafeFileHandle? file = null;
        MappedSegment? segment = null;
        try
        {
            capacity = Math.Max(capacity, RandomAccess.GetLength(durable));
            file = File.OpenHandle(hotPath, FileMode.Create, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, FileOptions.None, preallocationSize: capacity);
            RandomAccess.SetLength(file, capacity);
            segment = Map(file, capacity, durable);
            segment.CopyFromDurable(Math.Min(prefix, capacity));
            return segment;
        }
        catch
        {
            if (segment is not null)
            {
                segment.Dispose(); // both files with it
            }
            else
            {
                file?.Dispose();
                durable.Dispose();
            }

            TryDelete(hotPath);
            throw;
        }
    }

    /// <summary>
    /// Makes this mirrored segment the mapping of the durable file at <paramref name="durablePath"/> (a recycled segment file,
    /// whose memory file the journal has renamed to match): the pages stay mapped, the bytes stay as they are (stale frames
    /// of the earlier segment, which its salted checksums reject), and memory handed out before throws from now on.
    /// </summary>
    public void Reuse(string durablePath)
    {
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_base is null, this);
            if (_durable is null)
            {
                throw new InvalidOperationException("Only a mirrored segment is reused in place.");
            }

            var durable = OpenSegmentFile(durablePath, Capacity);
            _durable.Dispose();
            _durable = durable;
            RetireLocked();
        }
    }

    /// <summary>
    /// Ends the segment's present use without unmapping it (the journal keeps a released mirrored segment to reuse): memory
    /// handed out so far throws from now on, and a sync asked for the present <see cref="Generation"/> is skipped.
    /// </summary>
    public void Retire()
    {
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_base is null, this);
            RetireLocked();
        }
    }

    private void RetireLocked()
    {
        Interlocked.Increment(ref _generation);
        if (_memory is not null)
        {
            _memory.Retire();
            _memory = new View(this);
        }
    }

    private static MappedSegment Map(SafeFileHandle file, long capacity, SafeFileHandle? durable)
    {
        var map = MemoryMappedFile.CreateFromFile(file, null, capacity, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: true);
        try
        {
            var view = map.CreateViewAccessor(0, capacity, MemoryMappedFileAccess.ReadWrite);
            return new MappedSegment(file, map, view, capacity, durable);
        }
        catch
        {
            map.Dispose();
            throw;
        }
    }

    // A segment file (mapped, or a mirrored segment's durable file), opened or created and at least capacity long (sparse):
    // a recycled segment is recognised by its size, and recovery reads the zeroed tail as the end of the entries.
    private static SafeFileHandle OpenSegmentFile(string path, long capacity)
    {
        var file = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        try
        {
            if (RandomAccess.GetLength(file) < capacity)
            {
                RandomAccess.SetLength(file, capacity);
            }

            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private void CopyFromDurable(long length)
    {
        for (long at = 0; at < length;)
        {
            var read = RandomAccess.Read(_durable!, new Span<byte>(_base + at, (int)Math.Min(length - at, 1 << 30)), at);
            if (read == 0)
            {
                break; // the rest reads as the zeros the new file already holds
            }

            at += read;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left behind: a memory file without its durable file is ignored and deleted by the next recovery.
        }
    }

    /// <summary>Copies <paramref name="data"/> to <paramref name="offset"/>; the caller keeps offsets within <see cref="Capacity"/>.</summary>
    public void Write(ReadOnlySpan<byte> data, long offset)
    {
        ObjectDisposedException.ThrowIf(_base is null, this);
        if (offset < 0 || offset + data.Length > Capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), "The write does not fit in the segment.");
        }

        data.CopyTo(new Span<byte>(_base + offset, data.Length));
    }

    /// <summary>The <paramref name="length"/> bytes at <paramref name="offset"/>, read in place.</summary>
    public ReadOnlySpan<byte> Span(long offset, int length)
    {
        ObjectDisposedException.ThrowIf(_base is null, this);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + length, Capacity, nameof(length));
        return new ReadOnlySpan<byte>(_base + offset, length);
    }

    /// <summary>
    /// The <paramref name="length"/> bytes at <paramref name="offset"/> as memory over the mapping (no copy), or
    /// <see langword="false"/> when the segment is too large to be addressed by <see cref="Memory{T}"/>.
    /// </summary>
    public bool TrySlice(long offset, int length, out ReadOnlyMemory<byte> memory)
    {
        ObjectDisposedException.ThrowIf(_base is null, this);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + length, Capacity, nameof(length));
        if (_memory is null)
        {
            memory = default;
            return false;
        }

        memory = _memory.Memory.Slice((int)offset, length);
        return true;
    }

    /// <summary>Forces the mapped pages and the file to disk (of a segment mapped directly: see <see cref="FlushRange"/>).</summary>
    public void Flush()
    {
        _view.Flush();
        RandomAccess.FlushToDisk(_file);
    }

    /// <summary>
    /// Forces the bytes in [<paramref name="from"/>, <paramref name="to"/>) to disk (on Linux <c>msync(MS_SYNC)</c> of the range
    /// alone, which syncs what the file needs to read them back); elsewhere the whole segment, as <see cref="Flush"/>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Syncing only what was written leaves the pages <see cref="Prefault"/> made writable ahead of the appends alone: a
    /// sync write-protects every dirty page it writes back, and the next write to it faults again.
    /// </para>
    /// <para>
    /// Mirrored: copies the range into the durable file and syncs that (nothing is write-protected). With
    /// <paramref name="generation"/> (from <see cref="Generation"/>), a segment reused since then is left alone: the range
    /// was its earlier segment's, which was released.
    /// </para>
    /// </remarks>
    public void FlushRange(long from, long to, int generation = -1)
    {
        if (IsMirrored)
        {
            CopyToDurable(from, to, generation);
            return;
        }

        if (!OperatingSystem.IsLinux())
        {
            Flush();
            return;
        }

        if (OnPages(from, to, MsSync, static (at, length, flags) => Msync(at, length, flags)) != 0)
        {
            throw new IOException($"msync failed: {System.Runtime.InteropServices.Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    // The copy holds the segment's lock (a reuse or dispose waits for it, a memory copy into the page cache); the sync does
    // not: a handle closed meanwhile by a reuse stays open until the call returns, or throws ObjectDisposedException first.
    private void CopyToDurable(long from, long to, int generation)
    {
        SafeFileHandle durable;
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_base is null, this);
            if (generation >= 0 && generation != _generation)
            {
                return;
            }

            durable = _durable!;
            from = Math.Max(0, from);
            var end = Math.Min(Capacity, to);
            for (var at = from; at < end;)
            {
                // The mapping stays until Dispose, which waits for this lock: no reference is needed on the view.
                var length = (int)Math.Min(end - at, 1 << 30);
                RandomAccess.Write(durable, new ReadOnlySpan<byte>(_base + at, length), at);
                at += length;
            }
        }

        RandomAccess.FlushToDisk(durable);
    }

    /// <summary>
    /// Maps the pages of [<paramref name="from"/>, <paramref name="to"/>) writable now, in one system call, so that the
    /// appends that later write them take no page fault (Linux 5.14's <c>MADV_POPULATE_WRITE</c>; the bytes are not changed,
    /// so appends may race with it). Does nothing where that is not supported.
    /// </summary>
    public void Prefault(long from, long to)
    {
        if (s_prefaultUnsupported)
        {
            return;
        }

        if (OnPages(from, to, MadvPopulateWrite, static (at, length, advice) => Madvise(at, length, advice)) != 0)
        {
            var error = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            if (error is 22 or 38) // EINVAL (an older kernel), ENOSYS
            {
                s_prefaultUnsupported = true;
            }
        }
    }

    // Calls a system call on the pages holding [from, to), within the segment; 0 when there are none. The view's handle is
    // referenced for the call: a segment disposed meanwhile stays mapped until the call returns.
    private int OnPages(long from, long to, int flags, Func<nint, nuint, int, int> call)
    {
        var offset = from & s_pageMask;
        var end = Math.Min(Capacity, to);
        if (end <= offset)
        {
            return 0;
        }

        var handle = _view.SafeMemoryMappedViewHandle;
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var at = _base;
            ObjectDisposedException.ThrowIf(at is null, this);
            return call((nint)(at + offset), (nuint)(end - offset), flags);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "msync", SetLastError = true)]
    private static partial int Msync(nint address, nuint length, int flags);

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static partial int Madvise(nint address, nuint length, int advice);

    public void Dispose()
    {
        lock (_sync)
        {
            if (_base is null)
            {
                return;
            }

            _base = null;
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
            _map.Dispose();
            _file.Dispose();
            _durable?.Dispose();
        }
    }

    // The mapping as Memory<byte>: every read of Memory.Span comes through GetSpan, which refuses once the segment is unmapped
    // or reused.
    private sealed class View(MappedSegment owner) : MemoryManager<byte>
    {
        private volatile bool _retired;

        public void Retire() => _retired = true;

        public override Span<byte> GetSpan()
        {
            var at = _retired ? null : owner._base;
            ObjectDisposedException.ThrowIf(at is null, owner);
            return new Span<byte>(at, (int)owner.Capacity);
        }

        public override MemoryHandle Pin(int elementIndex = 0)
        {
            var at = _retired ? null : owner._base;
            ObjectDisposedException.ThrowIf(at is null, owner);
            ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)elementIndex, (ulong)owner.Capacity, nameof(elementIndex));
            return new MemoryHandle(at + elementIndex);
        }

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.IO.MemoryMappedFiles;
using Microsoft.Win32.SafeHandles;

namespace Charter.Records;

/// <summary>One journal segment file, mapped into memory for writing.</summary>
/// <remarks>
/// Writing an event is a memory copy into the shared mapping: the bytes are in the OS page cache the moment the copy ends,
/// so they survive the process being killed (like a <c>pwrite</c>) without a system call per event. <see cref="Flush"/>
/// (<c>msync</c> + <c>fsync</c>) makes them survive power loss. The file is sized to its capacity up front; the unused tail
/// reads as zeros, which recovery takes as the end of the entries.
/// <para>
/// <see cref="TrySlice"/> hands out what was written as <see cref="ReadOnlyMemory{T}"/> over the mapping itself, so that the
/// events the integrator reads back need no copy of their request bodies. Such memory is valid until <see cref="Dispose"/>;
/// reading it afterwards throws <see cref="ObjectDisposedException"/> (a span taken before and kept past it is the one
/// misuse nothing can catch: the journal unmaps a segment only after the integrator is done with its events).
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
    private readonly View? _memory;
    private byte* _base;

    private MappedSegment(SafeFileHandle file, MemoryMappedFile map, MemoryMappedViewAccessor view, long capacity)
    {
        _file = file;
        _map = map;
        _view = view;
        Capacity = capacity;
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + view.PointerOffset;
        _memory = capacity <= int.MaxValue ? new View(this) : null;
    }

    /// <summary>Bytes the segment can hold.</summary>
    public long Capacity { get; }

    /// <summary>Where the mapping starts in this process's address space (for tests that read <c>/proc/self/pagemap</c>).</summary>
    internal nint Address => (nint)_base;

    /// <summary>Opens (or creates) the file at <paramref name="path"/>, extends it to <paramref name="capacity"/> bytes and maps it.</summary>
    public static MappedSegment Open(string path, long capacity)
    {
        var file = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        try
        {
            var length = RandomAccess.GetLength(file);
            capacity = Math.Max(capacity, length);
            if (length < capacity)
            {
                RandomAccess.SetLength(file, capacity);
            }

            var map = MemoryMappedFile.CreateFromFile(file, null, capacity, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: true);
            var view = map.CreateViewAccessor(0, capacity, MemoryMappedFileAccess.ReadWrite);
            return new MappedSegment(file, map, view, capacity);
        }
        catch
        {
            file.Dispose();
            throw;
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

    /// <summary>Forces the mapped pages and the file to disk.</summary>
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
    /// Syncing only what was written leaves the pages <see cref="Prefault"/> made writable ahead of the appends alone: a
    /// sync write-protects every dirty page it writes back, and the next write to it faults again.
    /// </remarks>
    public void FlushRange(long from, long to)
    {
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
        if (_base is null)
        {
            return;
        }

        _base = null;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
        _file.Dispose();
    }

    // The mapping as Memory<byte>: every read of Memory.Span comes through GetSpan, which refuses once the segment is unmapped.
    private sealed class View(MappedSegment owner) : MemoryManager<byte>
    {
        public override Span<byte> GetSpan()
        {
            var at = owner._base;
            ObjectDisposedException.ThrowIf(at is null, owner);
            return new Span<byte>(at, (int)owner.Capacity);
        }

        public override MemoryHandle Pin(int elementIndex = 0)
        {
            var at = owner._base;
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

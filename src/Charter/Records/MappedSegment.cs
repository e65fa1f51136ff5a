// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.IO.MemoryMappedFiles;
using Microsoft.Win32.SafeHandles;

namespace Charter.Records;

/// <summary>One journal segment file, mapped into memory for writing.</summary>
/// <remarks>
/// Writing an event is a memory copy into the shared mapping: the bytes are in the OS page cache the moment the copy ends,
/// so they survive the process being killed (like a <c>pwrite</c>) without a system call per event. <see cref="Flush"/>
/// (<c>msync</c> + <c>fsync</c>) makes them survive power loss. The file is sized to its capacity up front; the unused tail
/// reads as zeros, which recovery takes as the end of the entries.
/// </remarks>
internal sealed unsafe class MappedSegment : IDisposable
{
    private readonly SafeFileHandle _file;
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
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
    }

    /// <summary>Bytes the segment can hold.</summary>
    public long Capacity { get; }

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

    /// <summary>Forces the mapped pages and the file to disk.</summary>
    public void Flush()
    {
        _view.Flush();
        RandomAccess.FlushToDisk(_file);
    }

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
}

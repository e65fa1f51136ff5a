// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Runtime.InteropServices;

namespace Charter.Records;

/// <summary>Makes a directory's entries durable (<c>fsync</c> of the directory itself, on Linux).</summary>
/// <remarks>
/// A file's own sync does not make its name durable: a journal segment created, or the spare renamed into a segment,
/// could come back after a power loss under its old name (or none) although its bytes were synced. Elsewhere this does
/// nothing (Windows has no directory sync; its metadata is journaled with the file's).
/// </remarks>
internal static partial class DirectorySync
{
    /// <summary>Syncs <paramref name="directory"/>; throws <see cref="IOException"/> when the system refuses.</summary>
    public static void Sync(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fd = Open(directory, 0); // O_RDONLY: a directory opens for reading
        if (fd < 0)
        {
            throw new IOException($"Cannot open {directory} to sync it: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"Cannot sync {directory}: {Marshal.GetLastPInvokeErrorMessage()}");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}

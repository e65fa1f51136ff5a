// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Configuration;

/// <summary>Request records and the write-ahead journal (section <c>Records</c>).</summary>
public sealed class RecordsOptions
{
    /// <summary>Keep prompt text in request records; off stores a SHA-256 of the messages instead. Default false.</summary>
    public bool RetainContent { get; set; }

    /// <summary>Folder of journal segment files. Default <c>charter-journal</c> beside the database.</summary>
    public string? JournalDirectory { get; set; }

    /// <summary>
    /// Folder on a memory file system (tmpfs) where the journal keeps the segments it appends to, each copied into its file
    /// in <see cref="JournalDirectory"/> by every sync: the appends then write pages that stay mapped and writable, instead
    /// of pages each sync write-protects again (on this project's VM the journal's share of the CPU at saturation fell from
    /// ~8-9 % to ~3 %; docs/performance.md). Default: <c>/dev/shm</c> on Linux when it is a tmpfs; <c>none</c> maps the
    /// segment files in <see cref="JournalDirectory"/> directly. A process killed keeps its events either way (tmpfs
    /// outlives the process); on power loss, as without it, what the last sync had not copied is lost. Each segment's
    /// memory is reserved when it is created (~3 × <see cref="SegmentBytes"/> in all); where there is no room the journal
    /// maps the segment file instead.
    /// </summary>
    public string? JournalHotDirectory { get; set; }

    /// <summary><c>interval</c> (group fsync every <see cref="FsyncIntervalMs"/>) or <c>always</c> (fsync before forwarding). Default interval.</summary>
    public string Fsync { get; set; } = "interval";

    /// <summary>Group fsync period. Default 50 ms (at most 100 ms of events lost on power loss; none on a process crash).</summary>
    public int FsyncIntervalMs { get; set; } = 50;

    /// <summary>
    /// Segment size after which the journal rolls to a new file. Default 16 MiB: twice the default request size limit, so
    /// a request event still fits one segment; small enough that recycled segments (whose pages are already in the page
    /// cache) take over after ~50 MB of events and that the journal keeps ~50 MB of page cache (current, previous, spare).
    /// </summary>
    public long SegmentBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>How often the integrator moves journal entries into the database, audit log and detection. Default 100 ms.</summary>
    public int IntegrateIntervalMs { get; set; } = 100;

    /// <summary>
    /// The time slice the integrator's thread asks Linux's scheduler for (kernel 6.12 and later; elsewhere ignored), in
    /// microseconds; 0 keeps the kernel's (3 ms). Default 100: a batch takes milliseconds of CPU on the core the requests
    /// use, and with the shorter slice a request that wakes waits less for it (p99 at saturation 5.7-6.6 against
    /// 6.7-7.3 ms in seven alternating pairs of runs, the same requests/s; docs/performance.md).
    /// </summary>
    public int IntegratorSliceMicroseconds { get; set; } = 100;
}

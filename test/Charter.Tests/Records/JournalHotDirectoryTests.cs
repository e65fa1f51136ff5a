// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Configuration;
using Charter.Records;
using Charter.Tests.Audit;

namespace Charter.Tests.Records;

/// <summary>
/// The journal's memory files (<see cref="RecordsOptions.JournalHotDirectory"/>): appends go to a mapped tmpfs file that
/// each sync copies into the segment file; a killed process's memory files are recovered, a restart's loss of them costs
/// only what the last sync had not copied, and a released segment's mapping is reused in place.
/// </summary>
public sealed class JournalHotDirectoryTests
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")] // skipped elsewhere
    public async Task Constructor_DefaultOnLinuxWithTmpfs_PrivateFolderPerInstance_NoneTurnsItOff()
    {
        SkipWithoutTmpfs();
        using var dir = new TempDirectory();
        await using var journal = new Journal(new RecordsOptions(), dir.File("a"));
        await using var off = new Journal(new RecordsOptions { JournalHotDirectory = "none" }, dir.File("b"));

        Assert.Equal(Path.Combine("/dev/shm", "charter-journal-" + journal.InstanceId), journal.HotDirectory);
        Assert.Equal(Private, File.GetUnixFileMode(journal.HotDirectory!));
        Assert.Null(off.HotDirectory);
        off.Recover(default);
        await off.AppendAsync(JournalTests.Event(1));
        Assert.False(Directory.Exists(Path.Combine("/dev/shm", "charter-journal-" + off.InstanceId)));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")] // skipped elsewhere
    public async Task Constructor_FolderThereWithOtherPermissions_NotUsed()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Unix permissions");
        using var dir = new TempDirectory();
        var root = dir.File("shm");
        var path = dir.File("journal");
        Directory.CreateDirectory(path);
        await File.WriteAllTextAsync(Path.Combine(path, "instance-id"), "0123456789abcdef\n");
        Directory.CreateDirectory(Path.Combine(root, "charter-journal-0123456789abcdef"), Private | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(Path.Combine(root, "charter-journal-0123456789abcdef"), Private | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);

        await using var journal = new Journal(new RecordsOptions { JournalHotDirectory = root }, path);

        Assert.Null(journal.HotDirectory); // another user could read or replace the memory files there
    }

    [Fact]
    public async Task Recover_ProcessKilledBeforeAnySync_ReturnsTheEventsFromTheMemoryFilesAndCopiesThemToTheSegmentFile()
    {
        SkipWithoutTmpfs();
        using var dir = new TempDirectory();
        var path = dir.File("journal");
        // The flusher waits a minute after an append: nothing reaches the segment file but through recovery.
        var killed = new Journal(new RecordsOptions { FsyncIntervalMs = 60_000 }, path);
        try
        {
            killed.Recover(default);
            Assert.NotNull(killed.HotDirectory);
            Assert.True(killed.AppendsToMemoryFile);
            for (var i = 0; i < 10; i++)
            {
                await killed.AppendAsync(JournalTests.Event(i));
            }

            var segmentFile = Path.Combine(path, "journal-00000001.log");
            Assert.All((await File.ReadAllBytesAsync(segmentFile))[..256], b => Assert.Equal(0, b)); // not copied yet

            // A new process on the same folder while the killed one's memory files are still there.
            await using (var reopened = new Journal(new RecordsOptions(), path))
            {
                Assert.Equal(Ids(0, 10), reopened.Recover(default).Select(e => e.Id));
                await reopened.AppendAsync(JournalTests.Event(10));
            }

            // In the segment file now: a start without memory files finds them all.
            await using var fromFiles = new Journal(new RecordsOptions { JournalHotDirectory = "none" }, path);
            Assert.Equal(Ids(0, 11), fromFiles.Recover(default).Select(e => e.Id));
        }
        finally
        {
            await killed.DisposeAsync();
        }
    }

    [Fact]
    public async Task Recover_MemoryFilesLostToARestart_ReturnsWhatTheLastSyncCopied()
    {
        SkipWithoutTmpfs();
        using var dir = new TempDirectory();
        var path = dir.File("journal");
        var journal = new Journal(new RecordsOptions { FsyncIntervalMs = 60_000 }, path);
        try
        {
            journal.Recover(default);
            for (var i = 0; i < 5; i++)
            {
                await journal.AppendAsync(JournalTests.Event(i));
            }

            journal.Flush();
            for (var i = 5; i < 10; i++)
            {
                await journal.AppendAsync(JournalTests.Event(i)); // not synced: lost with the memory files
            }

            Directory.Delete(journal.HotDirectory!, recursive: true); // what a restart does to a tmpfs

            await using var reopened = new Journal(new RecordsOptions(), path);
            var recovered = reopened.Recover(default);
            Assert.Equal(Ids(0, 5), recovered.Select(e => e.Id));
            Assert.Equal(JournalTests.Json("hello 4"), System.Text.Encoding.UTF8.GetString(recovered[4].Body.Span));
            await reopened.AppendAsync(JournalTests.Event(20));
            Assert.Equal(recovered[^1].Position.Segment, reopened.Head.Segment); // appends go on after the intact ones
        }
        finally
        {
            await journal.DisposeAsync();
        }
    }

    [Fact]
    public async Task Recover_MemoryFileWithoutItsSegmentFile_IgnoredAndDeleted()
    {
        SkipWithoutTmpfs();
        using var dir = new TempDirectory();
        string memoryFile;
        await using (var other = new Journal(new RecordsOptions { FsyncIntervalMs = 60_000 }, dir.File("other")))
        {
            other.Recover(default);
            await other.AppendAsync(JournalTests.Event(1));
            memoryFile = Path.Combine(dir.Path, "memory-file");
            File.Copy(Path.Combine(other.HotDirectory!, "journal-00000001.log"), memoryFile);
        }

        // A memory file whose segment file is gone: a released segment (the release deletes the memory file first).
        var path = dir.File("journal");
        await using var journal = new Journal(new RecordsOptions(), path);
        File.Copy(memoryFile, Path.Combine(journal.HotDirectory!, "journal-00000001.log"));
        File.Copy(memoryFile, Path.Combine(journal.HotDirectory!, "journal-00000007.log"));

        Assert.Empty(journal.Recover(default));
        Assert.False(File.Exists(Path.Combine(journal.HotDirectory!, "journal-00000007.log")));
    }

    [Fact]
    public async Task AppendAsync_RollIntoTheSpare_ReusesItsMappingInPlaceAndItsEventsThrow()
    {
        SkipWithoutTmpfs();
        using var dir = new TempDirectory();
        var path = dir.File("journal");
        await using var journal = new Journal(new RecordsOptions { SegmentBytes = 1024, FsyncIntervalMs = 5 }, path);
        journal.Recover(default);
        var first = journal.HeadMappingAddress;
        var i = 0;
        while (journal.Head.Segment < 3)
        {
            await journal.AppendAsync(JournalTests.Event(i++));
        }

        var events = new JournalBatch();
        journal.Read(journal.RecoveredEnd, events, int.MaxValue);
        journal.ReleaseUpTo(new JournalPosition(2, 0)); // segment 1 integrated: it becomes the spare, still mapped
        Assert.True(File.Exists(Path.Combine(journal.HotDirectory!, "journal.spare")));
        Assert.Throws<ObjectDisposedException>(() => events[0].Body.Span.Length);

        while (journal.Head.Segment < 4)
        {
            await journal.AppendAsync(JournalTests.Event(i++));
        }

        Assert.Equal(first, journal.HeadMappingAddress); // segment 4 took segment 1's mapping
        Assert.False(File.Exists(Path.Combine(journal.HotDirectory!, "journal.spare")));
        Assert.True(File.Exists(Path.Combine(journal.HotDirectory!, "journal-00000004.log")));
        var fourth = new JournalBatch();
        journal.Read(new JournalPosition(4, 0), fourth, int.MaxValue);
        Assert.Equal($"req-{i - 1}", Assert.Single(fourth).Id);
        Assert.Equal(JournalTests.Json($"hello {i - 1}"), System.Text.Encoding.UTF8.GetString(fourth[0].Body.Span));

        // Synced into segment 4's file (segment 1's, recycled): the segment files alone hold every event not released.
        journal.Flush();
        CopyDirectory(path, dir.File("copy"));
        await using var fromFiles = new Journal(new RecordsOptions { JournalHotDirectory = "none", SegmentBytes = 1024 }, dir.File("copy"));
        var k = int.Parse(events.First(e => e.Position.Segment == 2).Id[4..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(Ids(k, i - k), fromFiles.Recover(default).Select(e => e.Id));
    }

    [Fact]
    public async Task DisposeAsync_EverythingSynced_DeletesTheMemoryFolder()
    {
        SkipWithoutTmpfs();
        using var dir = new TempDirectory();
        var journal = new Journal(new RecordsOptions(), dir.File("journal"));
        journal.Recover(default);
        await journal.AppendAsync(JournalTests.Event(1));
        var hot = journal.HotDirectory!;
        Assert.NotEmpty(Directory.GetFiles(hot));

        await journal.DisposeAsync();

        Assert.False(Directory.Exists(hot));
    }

    [Fact]
    public async Task Recover_MemoryFolderGoneAfterStart_MapsTheSegmentFilesInstead()
    {
        SkipWithoutTmpfs();
        using var dir = new TempDirectory();
        var path = dir.File("journal");
        await using (var journal = new Journal(new RecordsOptions(), path))
        {
            Directory.Delete(journal.HotDirectory!);
            journal.Recover(default);
            Assert.False(journal.AppendsToMemoryFile); // the segment file is mapped instead
            await journal.AppendAsync(JournalTests.Event(1));
            await journal.AppendAsync(JournalTests.Event(2));
        }

        await using var reopened = new Journal(new RecordsOptions { JournalHotDirectory = "none" }, path);
        Assert.Equal(["req-1", "req-2"], reopened.Recover(default).Select(e => e.Id));
    }

    private static IEnumerable<string> Ids(int from, int count) => Enumerable.Range(from, count).Select(i => $"req-{i}");

    private static void SkipWithoutTmpfs() => Assert.SkipWhen(Journal.DefaultHotRoot() is null, "needs a tmpfs at /dev/shm (Linux)");

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
        }
    }
}

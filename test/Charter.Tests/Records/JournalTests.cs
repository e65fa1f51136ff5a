// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Configuration;
using Charter.Records;
using Charter.Tests.Audit;

namespace Charter.Tests.Records;

/// <summary>
/// The write-ahead journal over memory-mapped segments: order, segment rolls, torn tails, identity. Run with the default
/// options (memory files where there is a tmpfs); <see cref="JournalMappedFileTests"/> runs them again with the segment
/// files mapped directly.
/// </summary>
public class JournalTests
{
    /// <summary>The <see cref="RecordsOptions.JournalHotDirectory"/> of every journal these tests open (null: the default).</summary>
    protected virtual string? HotDirectory => null;

    [Fact]
    public async Task AppendAsync_ThenRecoverInNewJournal_ReturnsEveryEventInOrder()
    {
        using var dir = new TempDirectory();
        var path = dir.File("journal");
        await using (var journal = new Journal(Options(), path))
        {
            Assert.Empty(journal.Recover(default));
            for (var i = 0; i < 50; i++)
            {
                await journal.AppendAsync(Event(i));
            }
        }

        await using var reopened = new Journal(Options(), path);
        var recovered = reopened.Recover(default);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"req-{i}"), recovered.Select(e => e.Id));
        Assert.Equal(Json("hello 7"), System.Text.Encoding.UTF8.GetString(recovered[7].Body.Span));
        for (var i = 1; i < recovered.Count; i++)
        {
            Assert.True(recovered[i].Position.IsAfter(recovered[i - 1].Position));
        }
    }

    [Fact]
    public async Task Read_CallerReusedBodyBuffer_EventsReadBackHoldTheJournalsCopy()
    {
        using var dir = new TempDirectory();
        await using var journal = new Journal(Options(), dir.File("journal"));
        journal.Recover(default);
        var buffer = new byte[256];
        var appended = new List<(string Id, string Body)>();
        for (var i = 0; i < 20; i++)
        {
            // The request path passes its pooled request buffer and reuses it for the next request.
            var body = System.Text.Encoding.UTF8.GetBytes(Json($"prompt {i} " + new string('x', i * 7)));
            body.CopyTo(buffer, 0);
            var e = Event(i);
            e.Body = buffer.AsMemory(0, body.Length);
            await journal.AppendAsync(e);
            Array.Fill(buffer, (byte)'#');
            appended.Add((e.Id, System.Text.Encoding.UTF8.GetString(body)));
        }

        var batch = new JournalBatch();
        journal.Read(journal.RecoveredEnd, batch, int.MaxValue);
        Assert.Equal(appended.Count, batch.Count);
        for (var i = 0; i < appended.Count; i++)
        {
            var e = batch[i];
            Assert.Equal(appended[i].Id, e.Id);
            Assert.Equal(appended[i].Body, System.Text.Encoding.UTF8.GetString(e.Body.Span));
            Assert.False(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(e.Body, out _)); // the mapped segment, not a heap copy
        }
    }

    [Fact]
    public async Task Read_InStepsAcrossSegmentRolls_ReturnsEachEventOnceInOrderAtItsPosition()
    {
        using var dir = new TempDirectory();
        await using var journal = new Journal(Options(new RecordsOptions { SegmentBytes = 1024 }), dir.File("journal"));
        journal.Recover(default);
        var appended = new List<JournalEvent>();
        for (var i = 0; i < 60; i++)
        {
            var e = Event(i, $"hello {i} " + new string('y', i % 9 * 10));
            await journal.AppendAsync(e);
            appended.Add(e);
        }

        var read = new JournalBatch();
        var at = journal.RecoveredEnd;
        var steps = 0;
        while (true)
        {
            var next = journal.Read(at, read, 7);
            if (next == at)
            {
                break;
            }

            at = next;
            steps++;
        }

        Assert.True(appended[^1].Position.Segment >= appended[0].Position.Segment + 3);
        Assert.Equal(9, steps);
        Assert.Equal(appended.Select(e => e.Id), read.Select(e => e.Id));
        Assert.Equal(appended.Select(e => e.Position), read.Select(e => e.Position));
        Assert.Equal(Json("hello 59 " + new string('y', 50)), System.Text.Encoding.UTF8.GetString(read[59].Body.Span));
        Assert.Equal(journal.Head, at);
        Assert.Equal(at, journal.Read(at, read, 7));
        Assert.Equal(60, read.Count);
    }

    [Fact]
    public async Task Read_AfterRecovery_ReturnsOnlyWhatWasAppendedSince()
    {
        using var dir = new TempDirectory();
        var path = dir.File("journal");
        await using (var journal = new Journal(Options(), path))
        {
            journal.Recover(default);
            for (var i = 0; i < 5; i++)
            {
                await journal.AppendAsync(Event(i));
            }
        }

        await using var reopened = new Journal(Options(), path);
        var recovered = reopened.Recover(default);
        await reopened.AppendAsync(Event(5));
        await reopened.AppendAsync(Event(6));
        var read = new JournalBatch();
        reopened.Read(reopened.RecoveredEnd, read, int.MaxValue);

        Assert.Equal(recovered[^1].Position, reopened.RecoveredEnd);
        Assert.Equal(["req-5", "req-6"], read.Select(e => e.Id));
    }

    [Fact]
    public async Task WaitForAppendAsync_NothingAfterThePosition_CompletesOnTheNextAppend()
    {
        using var dir = new TempDirectory();
        await using var journal = new Journal(Options(), dir.File("journal"));
        journal.Recover(default);
        var start = journal.RecoveredEnd;

        var waiting = journal.WaitForAppendAsync(start, TestContext.Current.CancellationToken);
        var completedBefore = waiting.IsCompleted;
        await journal.AppendAsync(Event(1));
        await waiting.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.False(completedBefore);
        Assert.True(journal.WaitForAppendAsync(start, TestContext.Current.CancellationToken).IsCompleted);
        Assert.False(journal.WaitForAppendAsync(journal.Head, TestContext.Current.CancellationToken).IsCompleted);
    }

    [Fact]
    public async Task ReleaseUpTo_PastRolledSegment_ItsBodiesRefuseToBeReadAndLaterOnesStillRead()
    {
        using var dir = new TempDirectory();
        await using var journal = new Journal(Options(new RecordsOptions { SegmentBytes = 1024 }), dir.File("journal"));
        journal.Recover(default);
        for (var i = 100; i < 160; i++)
        {
            await journal.AppendAsync(Event(i));
        }

        var events = new JournalBatch();
        journal.Read(journal.RecoveredEnd, events, int.MaxValue);
        Assert.Equal(60, events.Count);
        var detached = events[0].Detach(); // a consumer that keeps an event past its batch
        var releasedAt = events[40].Position;
        Assert.True(releasedAt.Segment > events[0].Position.Segment + 1);
        journal.ReleaseUpTo(releasedAt);

        // Unmapped: reading throws instead of touching memory that is gone.
        var released = events.First(e => e.Position.Segment < releasedAt.Segment);
        Assert.Throws<ObjectDisposedException>(() => released.Body.Span.Length);
        Assert.Equal(Json("hello 100"), System.Text.Encoding.UTF8.GetString(detached.Body.Span));
        foreach (var e in events.Where(e => e.Position.Segment >= releasedAt.Segment))
        {
            Assert.Equal(Json($"hello {e.Id[4..]}"), System.Text.Encoding.UTF8.GetString(e.Body.Span));
        }
    }

    [Fact]
    public async Task FlushLoop_IdleJournal_SleepsUntilAnAppend()
    {
        using var dir = new TempDirectory();
        await using var journal = new Journal(Options(new RecordsOptions { FsyncIntervalMs = 5 }), dir.File("journal"));
        journal.Recover(default);

        await Task.Delay(200); // forty intervals with nothing written
        Assert.Equal(0, journal.FlusherWakeups);

        await journal.AppendAsync(Event(1));
        await journal.AppendAsync(Event(2)); // same burst: one wake-up, one flush
        await WaitForAsync(() => journal.FlusherWakeups >= 1);
        await Task.Delay(200);
        Assert.Equal(1, journal.FlusherWakeups);

        await journal.AppendAsync(Event(3)); // after a flush the next append wakes it again
        await WaitForAsync(() => journal.FlusherWakeups >= 2);
    }

    [Fact]
    public async Task FlushLoop_AfterAFlush_MapsPagesAheadOfTheAppends()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "pages are mapped ahead with Linux's MADV_POPULATE_WRITE");
        using var dir = new TempDirectory();
        var path = dir.File("journal");
        await using (var journal = new Journal(Options(new RecordsOptions { FsyncIntervalMs = 5 }), path))
        {
            journal.Recover(default);
            Assert.Equal(0, journal.PrefaultedTo);
            for (var i = 0; i < 10; i++)
            {
                await journal.AppendAsync(Event(i));
            }

            // At least 64 KB past the head once the flusher has synced what was appended.
            await WaitForAsync(() => journal.PrefaultedTo >= journal.Head.Offset + (64 * 1024));
            for (var i = 10; i < 20; i++)
            {
                await journal.AppendAsync(Event(i)); // into the pages mapped ahead
            }
        }

        // Mapping pages ahead wrote nothing: recovery finds exactly the appended events and the zeroed tail after them.
        await using var reopened = new Journal(Options(), path);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"req-{i}"), reopened.Recover(default).Select(e => e.Id));
    }

    [Fact]
    public async Task Flush_AfterANewSegment_SyncsTheDirectoryOnceThenNotAgain()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "a directory is synced on Linux only");
        using var dir = new TempDirectory();
        await using var journal = new Journal(Options(new RecordsOptions { SegmentBytes = 1024, FsyncIntervalMs = 60_000 }), dir.File("journal"));
        journal.Recover(default); // creates the first segment
        await journal.AppendAsync(Event(0));

        journal.Flush();
        var afterFirst = journal.DirectorySyncs;
        await journal.AppendAsync(Event(1));
        journal.Flush(); // same segment: its name is durable already
        var sameSegment = journal.DirectorySyncs;
        var segment = journal.Head.Segment;
        for (var i = 2; journal.Head.Segment == segment; i++)
        {
            await journal.AppendAsync(Event(i)); // until the journal rolls to a new segment
        }

        journal.Flush();

        Assert.True(afterFirst >= 1, "the first segment's name was not synced");
        Assert.Equal(afterFirst, sameSegment);
        Assert.True(journal.DirectorySyncs > sameSegment, "the new segment's name was not synced");
    }

    [Fact]
    public async Task AppendAsync_RollsToANewSegment_LeavesTheFullOnesSyncToTheNextFlush()
    {
        using var dir = new TempDirectory();
        var path = dir.File("journal");
        // The flusher waits a minute after an append: only the test's own Flush syncs.
        await using (var journal = new Journal(Options(new RecordsOptions { SegmentBytes = 1024, FsyncIntervalMs = 60_000 }), path))
        {
            journal.Recover(default);
            for (var i = 0; journal.Head.Segment < 3; i++)
            {
                await journal.AppendAsync(Event(i)); // the request that rolls does not sync the full segment itself
            }

            Assert.Equal(2, journal.SegmentsAwaitingSync);
            journal.Flush();
            Assert.Equal(0, journal.SegmentsAwaitingSync);
        }

        await using var reopened = new Journal(Options(), path);
        var recovered = reopened.Recover(default);
        Assert.Equal(Enumerable.Range(0, recovered.Count).Select(i => $"req-{i}"), recovered.Select(e => e.Id));
        Assert.Equal(3, recovered[^1].Position.Segment);
    }

    [Fact]
    public async Task AppendAsync_FsyncAlways_EachAppendCompletesAfterItsFlush()
    {
        using var dir = new TempDirectory();
        var path = dir.File("journal");
        await using (var journal = new Journal(Options(new RecordsOptions { Fsync = "always" }), path))
        {
            journal.Recover(default);
            for (var i = 0; i < 20; i++)
            {
                // Each append waits for the flusher, which must be woken again after every flush (a hang fails here).
                await journal.AppendAsync(Event(i)).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            }

            Assert.InRange(journal.FlusherWakeups, 1, 20);
        }

        await using var reopened = new Journal(Options(), path);
        Assert.Equal(20, reopened.Recover(default).Count);
    }

    [Fact]
    public async Task Recover_FromPosition_ReturnsOnlyLaterEventsAndAppendsContinueAfterThem()
    {
        using var dir = new TempDirectory();
        var path = dir.File("journal");
        JournalPosition middle;
        await using (var journal = new Journal(Options(), path))
        {
            journal.Recover(default);
            var events = Enumerable.Range(0, 10).Select(Event).ToList();
            foreach (var e in events)
            {
                await journal.AppendAsync(e);
            }

            middle = events[5].Position;
        }

        await using (var journal = new Journal(Options(), path))
        {
            Assert.Equal(["req-6", "req-7", "req-8", "req-9"], journal.Recover(middle).Select(e => e.Id));
            await journal.AppendAsync(Event(10));
        }

        await using var third = new Journal(Options(), path);
        Assert.Equal(Enumerable.Range(0, 11).Select(i => $"req-{i}"), third.Recover(default).Select(e => e.Id));
    }

    [Fact]
    public async Task AppendAsync_PastSegmentCapacity_RollsSegmentsAndReleaseDeletesIntegratedOnes()
    {
        using var dir = new TempDirectory();
        var path = dir.File("journal");
        var options = Options(new RecordsOptions { SegmentBytes = 1024 });
        JournalPosition last;
        await using (var journal = new Journal(options, path))
        {
            journal.Recover(default);
            var events = Enumerable.Range(0, 100).Select(Event).ToList();
            foreach (var e in events)
            {
                await journal.AppendAsync(e);
            }

            last = events[^1].Position;
            Assert.True(last.Segment > 2, $"expected several segments, got {last.Segment}");

            // A body larger than a whole segment gets a segment of its own.
            var big = Event(100, new string('x', 10_000));
            await journal.AppendAsync(big);
            Assert.True(big.Position.Segment > last.Segment);
            last = big.Position;
        }

        await using (var journal = new Journal(options, path))
        {
            var recovered = journal.Recover(default);
            Assert.Equal(Enumerable.Range(0, 101).Select(i => $"req-{i}"), recovered.Select(e => e.Id));
            Assert.Equal(Json(new string('x', 10_000)).Length, recovered[^1].Body.Length);
            journal.ReleaseUpTo(last);
        }

        Assert.Equal([$"journal-{last.Segment:D8}.log"], Directory.GetFiles(path, "journal-*.log").Select(Path.GetFileName));
    }

    [Fact]
    public async Task Recover_TornLastEntry_KeepsIntactEntriesAndOverwritesTheTornOne()
    {
        using var dir = new TempDirectory();
        var path = dir.File("journal");
        JournalPosition before;
        await using (var journal = new Journal(Options(), path))
        {
            journal.Recover(default);
            for (var i = 0; i < 5; i++)
            {
                await journal.AppendAsync(Event(i));
            }

            before = journal.Head;
            await journal.AppendAsync(Event(5));
        }

        // A crash in the middle of the last copy: its payload is half written.
        var file = Path.Combine(path, $"journal-{before.Segment:D8}.log");
        await using (var fs = new FileStream(file, FileMode.Open, FileAccess.Write))
        {
            fs.Position = before.Offset + 20;
            fs.Write(new byte[40]);
        }

        await using (var journal = new Journal(Options(), path))
        {
            Assert.Equal(["req-0", "req-1", "req-2", "req-3", "req-4"], journal.Recover(default).Select(e => e.Id));
            Assert.Equal(before, journal.Head);
            await journal.AppendAsync(Event(6));
        }

        await using var again = new Journal(Options(), path);
        Assert.Equal(["req-0", "req-1", "req-2", "req-3", "req-4", "req-6"], again.Recover(default).Select(e => e.Id));
    }

    [Theory]
    [InlineData("none")] // segment files mapped directly
    [InlineData(null)] // mirrored through memory files where there is a tmpfs
    public async Task AppendAsync_AfterRelease_RecyclesASegmentAndRecoverSkipsItsStaleFrames(string? hot)
    {
        using var dir = new TempDirectory();
        var path = dir.File("journal");
        var options = Options(new RecordsOptions { SegmentBytes = 1024, JournalHotDirectory = hot });
        var spare = Path.Combine(path, "journal.spare");
        // Ids of one width: every frame has the same length, so the stale frames of the recycled segment lie exactly
        // where the next new frame would begin (their checksum salt is all that tells them apart).
        var events = Enumerable.Range(100, 100).Select(Event).ToList();
        JournalEvent firstInRecycled;
        await using (var journal = new Journal(options, path))
        {
            journal.Recover(default);
            foreach (var e in events)
            {
                await journal.AppendAsync(e);
            }

            var kept = events[60].Position.Segment;
            Assert.True(kept >= 4, $"expected several segments before the release, got {kept}");
            journal.ReleaseUpTo(events[60].Position);
            Assert.True(File.Exists(spare)); // one segment this journal wrote is kept instead of deleted
            var files = Directory.GetFiles(path, "journal-*.log").Select(Path.GetFileName).Order().ToList();
            Assert.Equal(Enumerable.Range((int)kept, (int)(events[^1].Position.Segment - kept + 1)).Select(s => $"journal-{s:D8}.log"), files);

            // Fill the current segment; the next append rolls into the spare, over frames of an older segment.
            var i = 200;
            do
            {
                firstInRecycled = Event(i++);
                events.Add(firstInRecycled);
                await journal.AppendAsync(firstInRecycled);
            }
            while (firstInRecycled.Position.Segment == events[99].Position.Segment);

            Assert.False(File.Exists(spare));
            // The mapped file: a mirrored segment's memory file (reused in place), else the segment file itself.
            var mapped = journal.HotDirectory ?? path;
            var recycled = await File.ReadAllBytesAsync(Path.Combine(mapped, $"journal-{firstInRecycled.Position.Segment:D8}.log"));
            Assert.Contains(recycled.AsSpan((int)firstInRecycled.Position.Offset).ToArray(), b => b != 0); // stale frames follow
        }

        await using var reopened = new Journal(options, path);
        var recovered = reopened.Recover(default);
        var expected = events.Where(e => e.Position.Segment >= events[60].Position.Segment).Select(e => e.Id);
        Assert.Equal(expected, recovered.Select(e => e.Id));
        Assert.Equal(firstInRecycled.Position, reopened.Head);
    }

    [Fact]
    public async Task ReleaseUpTo_SegmentCreatedByThisJournal_KeptAsSpareButOneFoundAtRecoveryDeleted()
    {
        using var dir = new TempDirectory();
        var path = dir.File("journal");
        var options = Options(new RecordsOptions { SegmentBytes = 1024 });
        var spare = Path.Combine(path, "journal.spare");
        var first = Path.Combine(path, "journal-00000001.log");
        await using (var journal = new Journal(options, path))
        {
            journal.Recover(default); // a new journal: its first segment is a new file
            var e = Event(0);
            for (var i = 1; !File.Exists(Path.Combine(path, "journal-00000002.log")); i++)
            {
                e = Event(i);
                await journal.AppendAsync(e);
            }

            journal.ReleaseUpTo(e.Position);
            Assert.True(File.Exists(spare));
            Assert.False(File.Exists(first));
        }

        await using (var reopened = new Journal(options, path))
        {
            reopened.Recover(default); // segment 2 was there before: it may hold frames of any build, so it is not recycled
            Assert.False(File.Exists(spare)); // nor is a spare of an earlier process
            JournalEvent e;
            do
            {
                e = Event(500);
                await reopened.AppendAsync(e);
            }
            while (e.Position.Segment == 2);

            reopened.ReleaseUpTo(e.Position);
            Assert.False(File.Exists(Path.Combine(path, "journal-00000002.log")));
            Assert.False(File.Exists(spare));
        }
    }

    [Fact]
    public async Task Recover_SegmentWithUnsaltedJsonFrames_ReadsThemAndAppendsAfterThem()
    {
        // Frames from a build before checksums were salted (crc32 of the payload alone) and before events were binary (JSON).
        using var dir = new TempDirectory();
        var path = dir.File("journal");
        Directory.CreateDirectory(path);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        for (var i = 0; i < 3; i++)
        {
            var payload = System.Text.Encoding.UTF8.GetBytes(
                $$"""{"kind":"request","id":"req-{{i}}","ts":"2026-11-20T10:00:0{{i}}.0000000Z","key":"key-1","body":{{Json($"hello {i}")}}}""");
            var header = buffer.GetSpan(8);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(header, payload.Length);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header[4..], System.IO.Hashing.Crc32.HashToUInt32(payload));
            buffer.Advance(8);
            System.Buffers.BuffersExtensions.Write(buffer, payload);
        }

        await File.WriteAllBytesAsync(Path.Combine(path, "journal-00000003.log"), buffer.WrittenSpan.ToArray());
        await File.WriteAllBytesAsync(Path.Combine(path, "journal.spare"), new byte[4096]); // left by an earlier process
        await using (var journal = new Journal(Options(), path))
        {
            var recovered = journal.Recover(default);
            Assert.Equal(["req-0", "req-1", "req-2"], recovered.Select(e => e.Id));
            Assert.Equal(Json("hello 2"), System.Text.Encoding.UTF8.GetString(recovered[2].Body.Span));
            Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 0, 1, TimeSpan.Zero), recovered[1].Ts);
            Assert.False(File.Exists(Path.Combine(path, "journal.spare")));
            await journal.AppendAsync(Event(3));
        }

        await using var reopened = new Journal(Options(), path);
        Assert.Equal(["req-0", "req-1", "req-2", "req-3"], reopened.Recover(default).Select(e => e.Id));
    }

    [Fact]
    public void Salt_DistinctSegments_DistinctAndNeverZero()
    {
        var salts = Enumerable.Range(0, 100_000).Select(s => Journal.Salt(s)).ToList();

        Assert.Equal(salts.Count, salts.Distinct().Count());
        Assert.DoesNotContain(0u, salts);
        Assert.NotEqual(0u, Journal.Salt(uint.MaxValue - 1L));
    }

    [Fact]
    public async Task InstanceId_SameDirectory_StableAcrossOpensAndDistinctPerDirectory()
    {
        using var dir = new TempDirectory();
        string first;
        await using (var journal = new Journal(Options(), dir.File("a")))
        {
            first = journal.InstanceId;
        }

        await using var again = new Journal(Options(), dir.File("a"));
        await using var other = new Journal(Options(), dir.File("b"));
        Assert.Equal(first, again.InstanceId);
        Assert.NotEqual(first, other.InstanceId);
        Assert.Equal(16, first.Length);
    }

    /// <summary><paramref name="options"/> (or the defaults) in this class's mode, unless they name a memory folder themselves.</summary>
    private protected RecordsOptions Options(RecordsOptions? options = null)
    {
        options ??= new RecordsOptions();
        options.JournalHotDirectory ??= HotDirectory;
        return options;
    }

    internal static JournalEvent Event(int i) => Event(i, $"hello {i}");

    internal static string Json(string text) => $$"""{"messages":[{"role":"user","content":"{{text}}"}]}""";

    private static JournalEvent Event(int i, string body) => new()
    {
        Kind = "request",
        Id = $"req-{i}",
        Ts = AuditTestData.Start.AddSeconds(i),
        Key = "key-1",
        Model = "gpt-4o-mini",
        Endpoint = "chat.completions",
        Body = System.Text.Encoding.UTF8.GetBytes(Json(body)),
    };

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 600 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition());
    }
}

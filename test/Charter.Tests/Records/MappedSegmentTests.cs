// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Records;
using Charter.Tests.Audit;

namespace Charter.Tests.Records;

/// <summary>A journal segment mapped into memory: pages mapped ahead of the appends, ranged syncs.</summary>
public sealed class MappedSegmentTests
{
    private static readonly int Page = Environment.SystemPageSize;

    [Fact]
    public void Prefault_PagesNotYetTouched_MapsExactlyThoseAndLeavesTheirBytes()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "MADV_POPULATE_WRITE and /proc/self/pagemap are Linux's");
        using var dir = new TempDirectory();
        var path = dir.File("segment.log");
        using (var segment = MappedSegment.Open(path, 64 * Page))
        {
            segment.Write("frame"u8, 0);
            Assert.All(Enumerable.Range(32, 20), p => Assert.False(IsPresent(segment, p), $"page {p} mapped before the prefault"));

            segment.Prefault((32 * Page) + 100, 48 * Page); // from the page holding the first offset to the end, exclusive

            Assert.All(Enumerable.Range(32, 16), p => Assert.True(IsPresent(segment, p), $"page {p} not mapped"));
            Assert.All(Enumerable.Range(48, 4), p => Assert.False(IsPresent(segment, p), $"page {p} mapped past the range"));
            segment.FlushRange(0, 5);
        }

        var bytes = File.ReadAllBytes(path);
        Assert.Equal(64 * Page, bytes.Length);
        Assert.Equal("frame"u8.ToArray(), bytes[..5]);
        Assert.All(bytes[5..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void Prefault_RangePastCapacity_StopsAtTheEnd()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "MADV_POPULATE_WRITE and /proc/self/pagemap are Linux's");
        using var dir = new TempDirectory();
        using var segment = MappedSegment.Open(dir.File("segment.log"), 8 * Page);

        segment.Prefault(6 * Page, 100 * Page);

        Assert.True(IsPresent(segment, 6));
        Assert.True(IsPresent(segment, 7));
    }

    [Fact]
    public void FlushRange_DisposedSegment_ThrowsObjectDisposed()
    {
        using var dir = new TempDirectory();
        var segment = MappedSegment.Open(dir.File("segment.log"), 8 * Page);
        segment.Write("frame"u8, 0);
        segment.FlushRange(0, 5);
        segment.Dispose();

        // The journal's flusher relies on this when the segment it took is released meanwhile.
        Assert.Throws<ObjectDisposedException>(() => segment.FlushRange(0, 5));
        if (OperatingSystem.IsLinux())
        {
            Assert.Throws<ObjectDisposedException>(() => segment.Prefault(0, Page)); // elsewhere Prefault does nothing
        }
    }

    [Fact]
    public void OpenMirrored_WriteThenFlushRange_TheDurableFileGetsTheRangeOnlyWhenSynced()
    {
        using var dir = new TempDirectory();
        var durable = dir.File("segment.log");
        using (var segment = MappedSegment.OpenMirrored(dir.File("memory.log"), durable, 8 * Page, prefix: 0))
        {
            Assert.True(segment.IsMirrored);
            segment.Write("frame one"u8, 0);
            segment.Write("frame two"u8, 9);
            Assert.All(ReadShared(durable)[..18], b => Assert.Equal(0, b)); // in the memory file only
            Assert.Equal("frame one"u8.ToArray(), ReadShared(dir.File("memory.log"))[..9]);

            segment.FlushRange(0, 9);

            var bytes = ReadShared(durable);
            Assert.Equal(8 * Page, bytes.Length); // sized like the segment, as a recycled one is recognised by its size
            Assert.Equal("frame one"u8.ToArray(), bytes[..9]);
            Assert.All(bytes[9..18], b => Assert.Equal(0, b));
        }
    }

    [Fact]
    public void OpenMirrored_DurableFileHoldsAPrefix_TheMappingStartsWithIt()
    {
        using var dir = new TempDirectory();
        var durable = dir.File("segment.log");
        File.WriteAllBytes(durable, "intact frames|torn"u8.ToArray());

        using var segment = MappedSegment.OpenMirrored(dir.File("memory.log"), durable, 8 * Page, prefix: 13);

        Assert.Equal("intact frames"u8.ToArray(), segment.Span(0, 13).ToArray());
        Assert.All(segment.Span(13, 5).ToArray(), b => Assert.Equal(0, b)); // past the prefix: nothing copied
    }

    [Fact]
    public void Reuse_MirroredSegment_OldMemoryThrowsAndASyncOfTheOldGenerationIsSkipped()
    {
        using var dir = new TempDirectory();
        using var segment = MappedSegment.OpenMirrored(dir.File("memory.log"), dir.File("first.log"), 8 * Page, prefix: 0);
        segment.Write("aaaa"u8, 0);
        Assert.True(segment.TrySlice(0, 4, out var before));
        var generation = segment.Generation;

        segment.Reuse(dir.File("second.log"));

        Assert.Throws<ObjectDisposedException>(() => before.Span.Length);
        segment.FlushRange(0, 4, generation); // queued before the reuse: the earlier segment's, released
        Assert.All(ReadShared(dir.File("second.log"))[..4], b => Assert.Equal(0, b));
        Assert.All(ReadShared(dir.File("first.log"))[..4], b => Assert.Equal(0, b));
        segment.FlushRange(0, 4, segment.Generation);
        Assert.Equal("aaaa"u8.ToArray(), ReadShared(dir.File("second.log"))[..4]); // the mapping kept its bytes
        Assert.True(segment.TrySlice(0, 4, out var after));
        Assert.Equal("aaaa"u8.ToArray(), after.ToArray());
    }

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    // Bit 63 of a page's entry in /proc/self/pagemap: the page is in this process's page table.
    private static bool IsPresent(MappedSegment segment, int page)
    {
        using var pagemap = File.OpenHandle("/proc/self/pagemap");
        Span<byte> entry = stackalloc byte[8];
        var at = ((segment.Address / Page) + page) * 8L;
        Assert.Equal(8, RandomAccess.Read(pagemap, entry, at));
        return (System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(entry) & (1UL << 63)) != 0;
    }
}

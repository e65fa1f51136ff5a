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

// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text;
using Charter.Records;

namespace Charter.Tests.Records;

/// <summary>The strings the integrator's events share: one instance per value, and always the right text.</summary>
public sealed class JournalStringCacheTests
{
    [Fact]
    public void Get_SameBytesTwice_ReturnsTheSameInstance()
    {
        var cache = new JournalStringCache();

        var first = cache.Get("key_0123456789abcdef"u8, hex: false);
        var second = cache.Get(Encoding.UTF8.GetBytes("key_0123456789abcdef"), hex: false);

        Assert.Equal("key_0123456789abcdef", first);
        Assert.Same(first, second);
    }

    [Fact]
    public void Get_SameBytesAsHexAndAsText_AreTwoDifferentStrings()
    {
        var cache = new JournalStringCache();

        var text = cache.Get("ab"u8, hex: false);
        var hex = cache.Get("ab"u8, hex: true);

        Assert.Equal("ab", text);
        Assert.Equal("6162", hex);
        Assert.Same(hex, cache.Get("ab"u8, hex: true));
    }

    [Fact]
    public void Get_LongerThanItKeeps_DecodedEachTime()
    {
        var cache = new JournalStringCache();
        var bytes = Encoding.UTF8.GetBytes(new string('r', 65));

        var first = cache.Get(bytes, hex: false);
        var second = cache.Get(bytes, hex: false);

        Assert.Equal(new string('r', 65), first);
        Assert.Equal(first, second);
        Assert.NotSame(first, second);
    }

    [Fact]
    public void Get_ManyDistinctValuesSharingSlots_EachReadsBackItsOwnText()
    {
        var cache = new JournalStringCache();
        var values = Enumerable.Range(0, 5000).Select(i => $"model-{i}").ToList();

        var first = values.Select(v => cache.Get(Encoding.UTF8.GetBytes(v), hex: false)).ToList();
        var again = values.Select(v => cache.Get(Encoding.UTF8.GetBytes(v), hex: false)).ToList();

        Assert.Equal(values, first);
        Assert.Equal(values, again);
    }

    [Fact]
    public void Get_TwoValuesUsedInTurn_BothStayShared()
    {
        // Each event of a batch brings its key's and its team's id (and model, account...): any two values read in turn must
        // both be served from the cache, whichever of its places they share. Every pair of 64 values is tried.
        var values = Enumerable.Range(0, 64).Select(i => Encoding.UTF8.GetBytes($"key_{i:x16}")).ToList();
        var evicted = new List<string>();
        for (var a = 0; a < values.Count; a++)
        {
            for (var b = a + 1; b < values.Count; b++)
            {
                var cache = new JournalStringCache();
                var (firstA, firstB) = (cache.Get(values[a], hex: false), cache.Get(values[b], hex: false));
                if (!ReferenceEquals(firstA, cache.Get(values[a], hex: false)) || !ReferenceEquals(firstB, cache.Get(values[b], hex: false)))
                {
                    evicted.Add($"{firstA}/{firstB}");
                }
            }
        }

        Assert.Empty(evicted);
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Numerics;

namespace Charter.Audit.Merkle;

/// <summary>Which subtree hashes make up a proof (RFC 9162 §2.1.3.1 PATH and §2.1.4.1 SUBPROOF).</summary>
/// <remarks>
/// A proof is a list of MTH(D[start:end]) ranges. Each range is either a perfect subtree (one stored node)
/// or a ragged right edge, which <see cref="Decompose"/> splits into at most log2(n) stored nodes.
/// Planning is pure, so a store fetches every node a proof needs in one round trip.
/// </remarks>
internal static class MerkleProofPlan
{
    /// <summary>Largest power of two strictly less than <paramref name="n"/> (n ≥ 2).</summary>
    public static long SplitPoint(long n) => 1L << (63 - BitOperations.LeadingZeroCount((ulong)(n - 1)));

    /// <summary>The ranges of an inclusion proof for leaf <paramref name="index"/> in a tree of <paramref name="size"/>, leaf side first.</summary>
    public static List<(long Start, long End)> InclusionRanges(long index, long size)
    {
        if (index < 0 || index >= size)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"Index {index} is not in a tree of size {size}.");
        }

        var ranges = new List<(long, long)>();
        long start = 0;
        var end = size;
        while (end - start > 1)
        {
            var k = SplitPoint(end - start);
            if (index < start + k)
            {
                ranges.Add((start + k, end));
                end = start + k;
            }
            else
            {
                ranges.Add((start, start + k));
                start += k;
            }
        }

        ranges.Reverse();
        return ranges;
    }

    /// <summary>The ranges of a consistency proof from <paramref name="size1"/> to <paramref name="size2"/>.</summary>
    public static List<(long Start, long End)> ConsistencyRanges(long size1, long size2)
    {
        if (size1 < 0 || size1 > size2)
        {
            throw new ArgumentOutOfRangeException(nameof(size1), $"Cannot prove {size1} → {size2}.");
        }

        var ranges = new List<(long, long)>();
        if (size1 == 0 || size1 == size2)
        {
            return ranges;
        }

        long start = 0;
        var end = size2;
        var m = size1;
        var haveRoot1 = true;
        while (true)
        {
            var n = end - start;
            if (m == n)
            {
                if (!haveRoot1)
                {
                    ranges.Add((start, end));
                }

                break;
            }

            var k = SplitPoint(n);
            if (m <= k)
            {
                ranges.Add((start + k, end));
                end = start + k;
            }
            else
            {
                ranges.Add((start, start + k));
                m -= k;
                start += k;
                haveRoot1 = false;
            }
        }

        ranges.Reverse();
        return ranges;
    }

    /// <summary>Appends the perfect subtrees whose fold gives MTH(D[start:end]), largest first.</summary>
    public static void Decompose(long start, long end, List<NodeId> output)
    {
        while (start < end)
        {
            var n = end - start;
            var level = 63 - BitOperations.LeadingZeroCount((ulong)n);
            if ((1L << level) == n)
            {
                output.Add(new NodeId(level, start >> level));
                return;
            }

            output.Add(new NodeId(level, start >> level));
            start += 1L << level;
        }
    }

    /// <summary>All nodes a list of ranges needs, in order, with each range's node count.</summary>
    public static List<NodeId> NodesFor(List<(long Start, long End)> ranges, out int[] counts)
    {
        var nodes = new List<NodeId>();
        counts = new int[ranges.Count];
        for (var i = 0; i < ranges.Count; i++)
        {
            var before = nodes.Count;
            Decompose(ranges[i].Start, ranges[i].End, nodes);
            counts[i] = nodes.Count - before;
        }

        return nodes;
    }

    /// <summary>Folds fetched node hashes into one hash per range.</summary>
    public static byte[][] Assemble(IReadOnlyList<byte[]> nodeHashes, int[] counts)
    {
        var result = new byte[counts.Length][];
        var offset = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            result[i] = Fold(nodeHashes, offset, counts[i]);
            offset += counts[i];
        }

        return result;
    }

    /// <summary>MTH of consecutive perfect subtrees (largest first): fold from the right.</summary>
    public static byte[] Fold(IReadOnlyList<byte[]> hashes, int offset, int count)
    {
        var h = hashes[offset + count - 1];
        for (var j = count - 2; j >= 0; j--)
        {
            h = MerkleHash.HashChildren(hashes[offset + j], h);
        }

        return h;
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Audit.Merkle;

/// <summary>The right edge of a growing tree: one perfect subtree hash per set bit of the size.</summary>
/// <remarks>
/// Appending a leaf merges equal-sized subtrees (like a binary counter carry), reporting each completed
/// node so the store can keep it for proofs. Amortised one node hash per leaf; the root needs at most
/// log2(size) hashes. No recomputation of earlier parts of the tree.
/// </remarks>
internal sealed class CompactRange
{
    private readonly List<byte[]> _hashes;

    public CompactRange()
    {
        _hashes = [];
    }

    private CompactRange(long size, List<byte[]> hashes)
    {
        Size = size;
        _hashes = hashes;
    }

    /// <summary>Number of leaves appended.</summary>
    public long Size { get; private set; }

    /// <summary>The frontier subtree ids for a tree of <paramref name="size"/> leaves, largest first.</summary>
    public static List<NodeId> FrontierIds(long size)
    {
        var ids = new List<NodeId>();
        long start = 0;
        for (var level = 62; level >= 0; level--)
        {
            if (((size >> level) & 1) == 1)
            {
                ids.Add(new NodeId(level, start >> level));
                start += 1L << level;
            }
        }

        return ids;
    }

    /// <summary>Rebuilds a range from the hashes of <see cref="FrontierIds"/>.</summary>
    public static CompactRange FromFrontier(long size, IReadOnlyList<byte[]> hashes)
    {
        var expected = FrontierIds(size).Count;
        if (hashes.Count != expected)
        {
            throw new ArgumentException($"A tree of size {size} has {expected} frontier hashes, not {hashes.Count}.", nameof(hashes));
        }

        return new CompactRange(size, [.. hashes]);
    }

    public CompactRange Clone() => new(Size, [.. _hashes]);

    /// <summary>Appends a leaf hash; <paramref name="onNode"/> receives each interior node completed.</summary>
    public void Append(byte[] leafHash, Action<NodeId, byte[]>? onNode)
    {
        var current = leafHash;
        var level = 0;
        var index = Size;
        while (((Size >> level) & 1) == 1)
        {
            var left = _hashes[^1];
            _hashes.RemoveAt(_hashes.Count - 1);
            current = MerkleHash.HashChildren(left, current);
            level++;
            index >>= 1;
            onNode?.Invoke(new NodeId(level, index), current);
        }

        _hashes.Add(current);
        Size++;
    }

    /// <summary>The root hash of the current tree (RFC 9162 MTH).</summary>
    public byte[] Root()
    {
        if (_hashes.Count == 0)
        {
            return MerkleHash.EmptyRoot();
        }

        var root = _hashes[^1];
        for (var i = _hashes.Count - 2; i >= 0; i--)
        {
            root = MerkleHash.HashChildren(_hashes[i], root);
        }

        return root;
    }
}

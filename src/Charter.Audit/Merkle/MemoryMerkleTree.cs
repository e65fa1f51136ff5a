// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Audit.Merkle;

/// <summary>An in-memory tree keeping every perfect subtree: used by bundle verification, tests and benchmarks.</summary>
internal sealed class MemoryMerkleTree
{
    private readonly List<List<byte[]>> _levels = [[]];
    private readonly CompactRange _range = new();

    public long Size => _range.Size;

    public void AppendLeaf(ReadOnlySpan<byte> data) => AppendHash(MerkleHash.HashLeaf(data));

    public void AppendHash(byte[] leafHash)
    {
        _levels[0].Add(leafHash);
        _range.Append(leafHash, (id, hash) =>
        {
            if (_levels.Count <= id.Level)
            {
                _levels.Add([]);
            }

            _levels[id.Level].Add(hash);
        });
    }

    public byte[] Node(NodeId id) => _levels[id.Level][checked((int)id.Index)];

    public byte[] LeafHash(long index) => _levels[0][checked((int)index)];

    public byte[] Root() => _range.Root();

    public byte[] RootAt(long size)
    {
        if (size == 0)
        {
            return MerkleHash.EmptyRoot();
        }

        return Resolve([(0, size)])[0];
    }

    public byte[][] InclusionProof(long index, long size) => Resolve(MerkleProofPlan.InclusionRanges(index, size));

    public byte[][] ConsistencyProof(long size1, long size2) => Resolve(MerkleProofPlan.ConsistencyRanges(size1, size2));

    private byte[][] Resolve(List<(long Start, long End)> ranges)
    {
        foreach (var (_, end) in ranges)
        {
            if (end > Size)
            {
                throw new ArgumentOutOfRangeException(nameof(ranges), "Beyond the tree size.");
            }
        }

        var ids = MerkleProofPlan.NodesFor(ranges, out var counts);
        var hashes = new byte[ids.Count][];
        for (var i = 0; i < ids.Count; i++)
        {
            hashes[i] = Node(ids[i]);
        }

        return MerkleProofPlan.Assemble(hashes, counts);
    }
}

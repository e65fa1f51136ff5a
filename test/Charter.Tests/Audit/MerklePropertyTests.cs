// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Audit.Merkle;
using CsCheck;

namespace Charter.Tests.Audit;

public sealed class MerklePropertyTests
{
    private static readonly Gen<byte[][]> s_logs = Gen.Byte.Array[0, 40].Array[1, 40];

    [Fact]
    public void Tree_RandomLogs_RootsAndProofsMatchTheRfcDefinitions()
    {
        s_logs.Sample(leaves =>
        {
            var tree = new MemoryMerkleTree();
            foreach (var leaf in leaves)
            {
                tree.AppendLeaf(leaf);
            }

            var n = leaves.Length;
            Assert.Equal(MerkleReference.Mth(leaves, 0, n), tree.Root());
            for (var size = 1; size <= n; size++)
            {
                var root = MerkleReference.Mth(leaves, 0, size);
                Assert.Equal(root, tree.RootAt(size));
                for (var i = 0; i < size; i++)
                {
                    var proof = tree.InclusionProof(i, size);
                    Assert.Equal(MerkleReference.Path(i, leaves, 0, size), proof);
                    Assert.True(MerkleVerifier.VerifyInclusion(i, size, tree.LeafHash(i), proof, root));
                }

                for (var from = 0; from <= size; from++)
                {
                    var proof = tree.ConsistencyProof(from, size);
                    Assert.Equal(MerkleReference.Proof(from, leaves, size), proof);
                    Assert.True(MerkleVerifier.VerifyConsistency(from, size, tree.RootAt(from), root, proof));
                }
            }
        }, iter: 25);
    }

    [Fact]
    public void VerifyInclusion_AnyFlippedBitInLeafOrProof_Fails()
    {
        Gen.Select(s_logs, Gen.Int, Gen.Int, Gen.Int[0, 255]).Sample((leaves, a, b, bit) =>
        {
            var tree = new MemoryMerkleTree();
            foreach (var leaf in leaves)
            {
                tree.AppendLeaf(leaf);
            }

            var size = 1 + (int)((uint)a % leaves.Length);
            var index = (int)((uint)b % size);
            var proof = tree.InclusionProof(index, size);
            var root = tree.RootAt(size);
            var leafHash = tree.LeafHash(index);

            var badLeaf = (byte[])leafHash.Clone();
            badLeaf[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(MerkleVerifier.VerifyInclusion(index, size, badLeaf, proof, root));
            if (proof.Length > 0)
            {
                var badProof = proof.Select(p => (byte[])p.Clone()).ToArray();
                badProof[bit % proof.Length][bit / 8] ^= (byte)(1 << (bit % 8));
                Assert.False(MerkleVerifier.VerifyInclusion(index, size, leafHash, badProof, root));
            }
        }, iter: 300);
    }

    [Fact]
    public void VerifyConsistency_AlteredEarlierLeaf_Fails()
    {
        Gen.Select(s_logs, Gen.Int, Gen.Int, Gen.Int).Sample((leaves, a, b, c) =>
        {
            if (leaves.Length < 2)
            {
                return;
            }

            var n = leaves.Length;
            var size2 = 2 + (int)((uint)a % (n - 1));
            var size1 = 1 + (int)((uint)b % (size2 - 1));
            var changed = (int)((uint)c % size1);
            var tree = new MemoryMerkleTree();
            var other = new MemoryMerkleTree();
            for (var i = 0; i < n; i++)
            {
                tree.AppendLeaf(leaves[i]);
                other.AppendLeaf(i == changed ? [.. leaves[i], 1] : leaves[i]);
            }

            var proof = tree.ConsistencyProof(size1, size2);
            Assert.True(MerkleVerifier.VerifyConsistency(size1, size2, tree.RootAt(size1), tree.RootAt(size2), proof));
            Assert.False(MerkleVerifier.VerifyConsistency(size1, size2, other.RootAt(size1), tree.RootAt(size2), proof));
        }, iter: 300);
    }
}

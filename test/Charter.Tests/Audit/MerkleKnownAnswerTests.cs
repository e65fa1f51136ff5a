// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Audit.Merkle;

namespace Charter.Tests.Audit;

/// <summary>Known answers from the Certificate Transparency / transparency-dev RFC 6962 test vectors (testonly/constants.go, reference_test.go).</summary>
public sealed class MerkleKnownAnswerTests
{
    private static readonly byte[][] s_leaves =
    [
        [], [0x00], [0x10], [0x20, 0x21], [0x30, 0x31], [0x40, 0x41, 0x42, 0x43],
        Convert.FromHexString("5051525354555657"), Convert.FromHexString("606162636465666768696a6b6c6d6e6f"),
    ];

    private static readonly string[] s_roots =
    [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    public static TheoryData<long, long, string[]> InclusionVectors => new()
    {
        { 0, 1, [] },
        { 0, 2, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"] },
        { 1, 2, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"] },
        { 2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"] },
        { 1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"] },
        { 0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"] },
        { 5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"] },
    };

    public static TheoryData<long, long, string[]> ConsistencyVectors => new()
    {
        { 1, 1, [] },
        { 1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"] },
        { 2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"] },
        { 6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"] },
    };

    [Fact]
    public void Root_EverySizeOfTheEightLeafVector_MatchesKnownRoots()
    {
        var tree = new MemoryMerkleTree();
        Assert.Equal(s_roots[0], Hex(tree.Root()));
        for (var i = 0; i < s_leaves.Length; i++)
        {
            tree.AppendLeaf(s_leaves[i]);
            Assert.Equal(s_roots[i + 1], Hex(tree.Root()));
        }

        for (var size = 0; size <= s_leaves.Length; size++)
        {
            Assert.Equal(s_roots[size], Hex(tree.RootAt(size)));
        }
    }

    [Fact]
    public void Nodes_EightLeafVector_MatchKnownInteriorHashes()
    {
        var tree = Full();

        Assert.Equal("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", Hex(tree.Node(new NodeId(0, 1))));
        Assert.Equal("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", Hex(tree.Node(new NodeId(1, 1))));
        Assert.Equal("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", Hex(tree.Node(new NodeId(1, 3))));
        Assert.Equal("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4", Hex(tree.Node(new NodeId(2, 1))));
    }

    [Theory]
    [MemberData(nameof(InclusionVectors))]
    public void InclusionProof_KnownVector_IsGeneratedAndVerifies(long index, long size, string[] expected)
    {
        var tree = Full();

        var proof = tree.InclusionProof(index, size);

        Assert.Equal(expected, proof.Select(Hex));
        Assert.True(MerkleVerifier.VerifyInclusion(index, size, tree.LeafHash(index), proof, Convert.FromHexString(s_roots[size])));
        Assert.False(MerkleVerifier.VerifyInclusion(index, size, MerkleHash.HashLeaf([0xff]), proof, Convert.FromHexString(s_roots[size])));
    }

    [Theory]
    [MemberData(nameof(ConsistencyVectors))]
    public void ConsistencyProof_KnownVector_IsGeneratedAndVerifies(long size1, long size2, string[] expected)
    {
        var tree = Full();

        var proof = tree.ConsistencyProof(size1, size2);

        Assert.Equal(expected, proof.Select(Hex));
        var root1 = Convert.FromHexString(s_roots[size1]);
        var root2 = Convert.FromHexString(s_roots[size2]);
        Assert.True(MerkleVerifier.VerifyConsistency(size1, size2, root1, root2, proof));
        if (size1 != size2)
        {
            Assert.False(MerkleVerifier.VerifyConsistency(size1, size2, root2, root1, proof));
        }
    }

    [Fact]
    public void VerifyInclusion_WrongShapes_Fail()
    {
        var tree = Full();
        var root = tree.Root();
        var proof = tree.InclusionProof(5, 8);

        Assert.False(MerkleVerifier.VerifyInclusion(5, 8, tree.LeafHash(5), proof[..2], root));
        Assert.False(MerkleVerifier.VerifyInclusion(5, 8, tree.LeafHash(5), [.. proof, proof[0]], root));
        Assert.False(MerkleVerifier.VerifyInclusion(8, 8, tree.LeafHash(5), proof, root));
        Assert.False(MerkleVerifier.VerifyInclusion(4, 8, tree.LeafHash(5), proof, root));
        Assert.False(MerkleVerifier.VerifyConsistency(3, 8, tree.RootAt(3), root, []));
    }

    [Fact]
    public void FrontierIds_SizeThirteen_AreTheBinaryDecomposition()
    {
        Assert.Equal([new NodeId(3, 0), new NodeId(2, 2), new NodeId(0, 12)], CompactRange.FrontierIds(13));
    }

    private static MemoryMerkleTree Full()
    {
        var tree = new MemoryMerkleTree();
        foreach (var leaf in s_leaves)
        {
            tree.AppendLeaf(leaf);
        }

        return tree;
    }

    private static string Hex(byte[] b) => Convert.ToHexStringLower(b);
}

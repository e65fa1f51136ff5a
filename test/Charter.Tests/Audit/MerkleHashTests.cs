// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Security.Cryptography;
using Charter.Audit.Merkle;

namespace Charter.Tests.Audit;

/// <summary>The hashes behind every leaf and node: RFC 9162 prefixes, any leaf length, one reused context per thread.</summary>
public sealed class MerkleHashTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(511)]
    [InlineData(512)]
    [InlineData(513)]
    [InlineData(100_000)]
    public void HashLeaf_AnyLength_IsSha256OfZeroThenTheLeaf(int length)
    {
        var leaf = new byte[length];
        new Random(length).NextBytes(leaf);

        Assert.Equal(SHA256.HashData([0, .. leaf]), MerkleHash.HashLeaf(leaf));
    }

    [Fact]
    public void HashChildren_AfterLeaves_IsSha256OfOneThenBoth()
    {
        var left = MerkleHash.HashLeaf("a"u8);
        var right = MerkleHash.HashLeaf("b"u8);

        Assert.Equal(SHA256.HashData([1, .. left, .. right]), MerkleHash.HashChildren(left, right));
        Assert.Equal(SHA256.HashData([0, .. "c"u8]), MerkleHash.HashLeaf("c"u8)); // the context was reset in between
    }

    [Fact]
    public async Task HashLeaf_ManyThreadsAtOnce_EachGetsItsOwnDigest()
    {
        var leaves = Enumerable.Range(0, 64).Select(i => System.Text.Encoding.UTF8.GetBytes($"leaf {i} " + new string('x', i * 13))).ToArray();
        var expected = leaves.Select(l => SHA256.HashData([0, .. l])).ToArray();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            var ok = true;
            for (var round = 0; round < 200; round++)
            {
                for (var i = 0; i < leaves.Length; i++)
                {
                    ok &= MerkleHash.HashLeaf(leaves[i]).AsSpan().SequenceEqual(expected[i]);
                }
            }

            return ok;
        })));

        Assert.All(results, Assert.True);
    }
}

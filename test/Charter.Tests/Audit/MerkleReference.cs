// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Audit.Merkle;

namespace Charter.Tests.Audit;

/// <summary>RFC 9162 §2.1 definitions, written as directly (recursively) as possible, to cross-check the real code.</summary>
internal static class MerkleReference
{
    public static byte[] Mth(IReadOnlyList<byte[]> d, int start, int end)
    {
        var n = end - start;
        if (n == 0)
        {
            return MerkleHash.EmptyRoot();
        }

        if (n == 1)
        {
            return MerkleHash.HashLeaf(d[start]);
        }

        var k = K(n);
        return MerkleHash.HashChildren(Mth(d, start, start + k), Mth(d, start + k, end));
    }

    public static List<byte[]> Path(int m, IReadOnlyList<byte[]> d, int start, int end)
    {
        var n = end - start;
        if (n == 1)
        {
            return [];
        }

        var k = K(n);
        if (m < k)
        {
            var p = Path(m, d, start, start + k);
            p.Add(Mth(d, start + k, end));
            return p;
        }

        var q = Path(m - k, d, start + k, end);
        q.Add(Mth(d, start, start + k));
        return q;
    }

    public static List<byte[]> Proof(int m, IReadOnlyList<byte[]> d, int n) => m == 0 || m == n ? [] : SubProof(m, d, 0, n, true);

    private static List<byte[]> SubProof(int m, IReadOnlyList<byte[]> d, int start, int end, bool b)
    {
        var n = end - start;
        if (m == n)
        {
            return b ? [] : [Mth(d, start, end)];
        }

        var k = K(n);
        if (m <= k)
        {
            var p = SubProof(m, d, start, start + k, b);
            p.Add(Mth(d, start + k, end));
            return p;
        }

        var q = SubProof(m - k, d, start + k, end, false);
        q.Add(Mth(d, start, start + k));
        return q;
    }

    private static int K(int n)
    {
        var k = 1;
        while (k << 1 < n)
        {
            k <<= 1;
        }

        return k;
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Security.Cryptography;
using Charter.Audit.Hashing;

namespace Charter.Audit.Merkle;

/// <summary>RFC 9162 §2.1.1 hashing: leaf = SHA-256(0x00‖data), node = SHA-256(0x01‖left‖right).</summary>
public static class MerkleHash
{
    /// <summary>Hash length in bytes.</summary>
    public const int Size = 32;

    private static ReadOnlySpan<byte> LeafPrefix => [0];

    /// <summary>The root of the empty tree: SHA-256 of the empty string.</summary>
    public static byte[] EmptyRoot() => SHA256.HashData(ReadOnlySpan<byte>.Empty);

    /// <summary>Hashes a leaf into <paramref name="destination"/> (32 bytes).</summary>
    public static void HashLeaf(ReadOnlySpan<byte> leaf, Span<byte> destination) => ThreadSha256.Hash(LeafPrefix, leaf, destination);

    /// <summary>Returns the leaf hash of <paramref name="leaf"/>.</summary>
    public static byte[] HashLeaf(ReadOnlySpan<byte> leaf)
    {
        var hash = new byte[Size];
        HashLeaf(leaf, hash);
        return hash;
    }

    /// <summary>Hashes two children into <paramref name="destination"/>.</summary>
    public static void HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        Span<byte> buffer = stackalloc byte[1 + (2 * Size)];
        buffer[0] = 1;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + Size)..]);
        ThreadSha256.Hash(buffer, destination);
    }

    /// <summary>Returns the interior node hash of two children.</summary>
    public static byte[] HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        var hash = new byte[Size];
        HashChildren(left, right, hash);
        return hash;
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Security.Cryptography;

namespace Charter.Audit.Merkle;

/// <summary>RFC 9162 §2.1.1 hashing: leaf = SHA-256(0x00‖data), node = SHA-256(0x01‖left‖right).</summary>
public static class MerkleHash
{
    /// <summary>Hash length in bytes.</summary>
    public const int Size = 32;

    /// <summary>The root of the empty tree: SHA-256 of the empty string.</summary>
    public static byte[] EmptyRoot() => SHA256.HashData(ReadOnlySpan<byte>.Empty);

    /// <summary>Hashes a leaf into <paramref name="destination"/> (32 bytes).</summary>
    public static void HashLeaf(ReadOnlySpan<byte> leaf, Span<byte> destination)
    {
        var length = leaf.Length + 1;
        if (length <= 512)
        {
            Span<byte> buffer = stackalloc byte[length];
            buffer[0] = 0;
            leaf.CopyTo(buffer[1..]);
            SHA256.HashData(buffer, destination);
            return;
        }

        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            rented[0] = 0;
            leaf.CopyTo(rented.AsSpan(1));
            SHA256.HashData(rented.AsSpan(0, length), destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

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
        SHA256.HashData(buffer, destination);
    }

    /// <summary>Returns the interior node hash of two children.</summary>
    public static byte[] HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        var hash = new byte[Size];
        HashChildren(left, right, hash);
        return hash;
    }
}

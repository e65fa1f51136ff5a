// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers.Binary;

namespace Charter.Keys;

/// <summary>A SHA-256 digest as a value type, so key lookups hash and compare without allocating.</summary>
public readonly record struct KeyHash(ulong A, ulong B, ulong C, ulong D)
{
    /// <summary>Reads a 32-byte digest.</summary>
    public static KeyHash From(ReadOnlySpan<byte> digest) => new(
        BinaryPrimitives.ReadUInt64LittleEndian(digest),
        BinaryPrimitives.ReadUInt64LittleEndian(digest[8..]),
        BinaryPrimitives.ReadUInt64LittleEndian(digest[16..]),
        BinaryPrimitives.ReadUInt64LittleEndian(digest[24..]));
}

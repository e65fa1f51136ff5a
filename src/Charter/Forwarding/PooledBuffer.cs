// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;

namespace Charter.Forwarding;

/// <summary>Growing a buffer rented from <see cref="ArrayPool{T}.Shared"/> (request bodies, upstream answers, SSE relay).</summary>
internal static class PooledBuffer
{
    /// <summary>Rents a buffer of at least <paramref name="size"/> bytes, copies the first <paramref name="used"/> bytes of
    /// <paramref name="buffer"/> into it and returns the old one to the pool.</summary>
    public static byte[] Grow(byte[] buffer, int used, int size)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(size);
        buffer.AsSpan(0, used).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(buffer);
        return bigger;
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;

namespace Charter.Forwarding;

/// <summary>Whole upstream answers read into pooled buffers.</summary>
internal static class PooledContent
{
    /// <summary>Reads a whole upstream answer into a buffer from <see cref="ArrayPool{T}.Shared"/> that the caller returns
    /// (sized from Content-Length when the upstream sends one, grown by doubling otherwise), instead of a new array per
    /// response.</summary>
    public static async ValueTask<(byte[] Buffer, int Length)> ReadAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var declared = content.Headers.ContentLength;
        var buffer = ArrayPool<byte>.Shared.Rent(declared is >= 0 and < 1 << 20 ? (int)declared + 1 : 16 * 1024);
        var length = 0;
        try
        {
            var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        buffer = PooledBuffer.Grow(buffer, length, buffer.Length * 2);
                    }

                    var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return (buffer, length);
                    }

                    length += read;
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }
}

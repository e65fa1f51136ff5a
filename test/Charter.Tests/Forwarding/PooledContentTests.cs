// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using Charter.Forwarding;
using Xunit;

namespace Charter.Tests.Forwarding;

public sealed class PooledContentTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(16 * 1024)] // exactly the first buffer without a length
    [InlineData(100_000)] // several doublings
    public async Task ReadAsync_NoContentLength_ReadsEveryByteInOrder(int size)
    {
        var data = Data(size);
        using var content = new StreamContent(new TrickleStream(data)); // not seekable: no Content-Length
        Assert.Null(content.Headers.ContentLength);

        var (buffer, length) = await PooledContent.ReadAsync(content, CancellationToken.None);

        Assert.Equal(data, buffer.AsSpan(0, length).ToArray());
        ArrayPool<byte>.Shared.Return(buffer);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(537)]
    [InlineData(2 * 1024 * 1024)] // over the size trusted for the first buffer
    public async Task ReadAsync_WithContentLength_ReadsEveryByteInOrder(int size)
    {
        var data = Data(size);
        using var content = new ByteArrayContent(data);
        Assert.Equal(size, content.Headers.ContentLength);

        var (buffer, length) = await PooledContent.ReadAsync(content, CancellationToken.None);

        Assert.Equal(data, buffer.AsSpan(0, length).ToArray());
        ArrayPool<byte>.Shared.Return(buffer);
    }

    [Fact]
    public async Task ReadAsync_StreamFailsMidway_Throws()
    {
        using var content = new StreamContent(new TrickleStream(Data(50_000), failAfter: 20_000));

        await Assert.ThrowsAsync<IOException>(async () => await PooledContent.ReadAsync(content, CancellationToken.None));
    }

    private static byte[] Data(int size)
    {
        var data = new byte[size];
        new Random(size).NextBytes(data);
        return data;
    }

    // Hands out at most 1,000 bytes a read, like a socket, and can fail part-way like a dropped connection.
    private sealed class TrickleStream(byte[] data, int failAfter = int.MaxValue) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position >= failAfter)
            {
                throw new IOException("connection dropped");
            }

            var n = Math.Min(Math.Min(buffer.Length, 1000), data.Length - _position);
            data.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

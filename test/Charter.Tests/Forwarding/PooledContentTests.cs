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
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Forwarding;

namespace Charter.Tests.Forwarding;

public sealed class RetryWaitTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("retry-after", "7", 7000)]
    [InlineData("retry-after", "0", 0)]
    [InlineData("retry-after-ms", "1500", 1500)]
    [InlineData("retry-after", "Sun, 29 Nov 2026 12:00:03 GMT", 3000)]
    [InlineData("retry-after", "Sun, 29 Nov 2026 11:59:00 GMT", 0)]
    public void AskedWait_RetryHeader_WaitItNames(string header, string value, int expectedMs)
    {
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation(header, value);

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), GatewayHandler.AskedWait(response, Now));
    }

    [Fact]
    public void AskedWait_BothHeaders_MillisecondsWin()
    {
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("retry-after", "2");
        response.Headers.TryAddWithoutValidation("retry-after-ms", "250");

        Assert.Equal(TimeSpan.FromMilliseconds(250), GatewayHandler.AskedWait(response, Now));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("retry-after", "soon")]
    [InlineData("retry-after-ms", "-5")]
    public void AskedWait_NoUsableHeader_Null(string? header, string? value)
    {
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.ServiceUnavailable);
        if (header is not null)
        {
            response.Headers.TryAddWithoutValidation(header, value);
        }

        Assert.Null(GatewayHandler.AskedWait(response, Now));
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Accounting;
using Microsoft.AspNetCore.Http;

namespace Charter.Tests.Accounting;

public sealed class RateLimitHeadersTests
{
    [Theory]
    [InlineData(0, "0ms")]
    [InlineData(12, "12ms")]
    [InlineData(999.2, "1s")]
    [InlineData(1000, "1s")]
    [InlineData(1500, "1.5s")]
    [InlineData(59_750, "59.75s")]
    [InlineData(360_000, "6m0s")]
    [InlineData(3_723_000, "1h2m3s")]
    public void FormatDuration_Milliseconds_MatchesOpenAiStyle(double milliseconds, string expected)
    {
        Assert.Equal(expected, RateLimitHeaders.FormatDuration(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Fact]
    public void WriteTo_BothLimits_WritesSixHeaders()
    {
        var headers = new HeaderDictionary();

        new RateLimitHeaders(60, 59, TimeSpan.FromSeconds(1), 1000, 10, TimeSpan.FromMinutes(6)).WriteTo(headers);

        Assert.Equal("60", headers["x-ratelimit-limit-requests"]);
        Assert.Equal("59", headers["x-ratelimit-remaining-requests"]);
        Assert.Equal("1s", headers["x-ratelimit-reset-requests"]);
        Assert.Equal("1000", headers["x-ratelimit-limit-tokens"]);
        Assert.Equal("10", headers["x-ratelimit-remaining-tokens"]);
        Assert.Equal("6m0s", headers["x-ratelimit-reset-tokens"]);
    }

    [Fact]
    public void WriteTo_NoTokenLimit_WritesOnlyRequestHeaders()
    {
        var headers = new HeaderDictionary();

        new RateLimitHeaders(60, 0, TimeSpan.FromSeconds(3), 0, 0, TimeSpan.Zero).WriteTo(headers);

        Assert.Equal(3, headers.Count);
        Assert.False(headers.ContainsKey("x-ratelimit-limit-tokens"));
    }

    [Theory]
    [InlineData(0.2, 1)]
    [InlineData(1.0, 1)]
    [InlineData(1.01, 2)]
    [InlineData(3600, 3600)]
    public void RetryAfterSeconds_Limited_RoundsUpToWholeSecondsAtLeastOne(double seconds, int expected)
    {
        var decision = LimitDecision.Deny(LimitKind.RequestsPerMinute, LimitScope.Key, TimeSpan.FromSeconds(seconds), default);

        Assert.Equal(expected, decision.RetryAfterSeconds);
    }
}

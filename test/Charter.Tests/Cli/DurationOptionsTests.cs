// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Cli.Commands;

namespace Charter.Tests.Cli;

/// <summary>The CLI's <c>--expires</c> and <c>--grace</c> values: durations and times, and what they refuse.</summary>
public sealed class DurationOptionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("0", 0)]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("12h", 43200)]
    [InlineData(" 7d ", 604800)]
    public void ParseDuration_CountAndUnit_Seconds(string text, long seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), CommonOptions.ParseDuration(text));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("7")]
    [InlineData("d")]
    [InlineData("-5m")]
    [InlineData("1.5h")]
    [InlineData("3w")]
    [InlineData("100001d")]
    public void ParseDuration_NotACountAndUnit_Null(string? text) => Assert.Null(CommonOptions.ParseDuration(text));

    [Theory]
    [InlineData("90d", "2027-02-27T10:00:00Z")]
    [InlineData("45s", "2026-11-29T10:00:45Z")]
    [InlineData("2027-01-31T00:00:00Z", "2027-01-31T00:00:00Z")]
    [InlineData("2027-01-31T02:00:00+02:00", "2027-01-31T00:00:00Z")]
    [InlineData("2027-01-31", "2027-01-31T00:00:00Z")]
    public void ParseExpiry_DurationOrTime_UtcInstant(string text, string expected)
    {
        var at = CommonOptions.ParseExpiry(text, Now, out var error);

        Assert.Null(error);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), at);
        Assert.Equal(TimeSpan.Zero, at!.Value.Offset);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("soon")]
    [InlineData("")]
    public void ParseExpiry_NeitherDurationNorTime_NullAndSaysWhy(string text)
    {
        Assert.Null(CommonOptions.ParseExpiry(text, Now, out var error));
        Assert.Contains("--expires", error, StringComparison.Ordinal);
    }
}

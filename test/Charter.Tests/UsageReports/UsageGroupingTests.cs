// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.UsageReports;

namespace Charter.Tests.UsageReports;

public sealed class UsageGroupingTests
{
    [Theory]
    [InlineData("team,model,purpose", new[] { UsageDimension.Team, UsageDimension.Model, UsageDimension.Purpose })]
    [InlineData(" Day , key,day", new[] { UsageDimension.Day, UsageDimension.Key })]
    [InlineData("", new UsageDimension[0])]
    public void TryParse_ValidList_DimensionsInOrderWithoutDuplicates(string text, UsageDimension[] expected)
    {
        Assert.True(UsageGrouping.TryParse(text, out var dims, out var error));
        Assert.Null(error);
        Assert.Equal(expected, dims);
    }

    [Fact]
    public void TryParse_UnknownDimension_FailsNamingIt()
    {
        Assert.False(UsageGrouping.TryParse("team,colour", out _, out var error));
        Assert.Contains("colour", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParseTime_DateOnly_UtcMidnight()
    {
        Assert.True(UsageGrouping.TryParseTime("2026-11-02", out var value, out _));
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero), value);
        Assert.False(UsageGrouping.TryParseTime("yesterday", out _, out _));
    }

    [Fact]
    public void Create_Report_TotalSumsRowsAndNamesGroups()
    {
        var rows = new[]
        {
            new UsageRow { Team = "a", Requests = 2, PromptTokens = 3, CompletionTokens = 4, CostNanos = 1_500_000_000 },
            new UsageRow { Team = "b", Requests = 1, PromptTokens = 1, CompletionTokens = 1, CostNanos = 1 },
        };

        var report = UsageReportDto.Create([UsageDimension.Team], null, null, rows);

        Assert.Equal(["team"], report.GroupBy);
        Assert.Equal(3, report.Total.Requests);
        Assert.Equal(1.500000001m, report.Total.CostUsd);
        Assert.Equal("b", report.Rows[1].Team);
    }
}

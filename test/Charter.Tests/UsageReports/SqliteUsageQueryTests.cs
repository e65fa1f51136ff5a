// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Storage.Sqlite;
using Charter.UsageReports;

namespace Charter.Tests.UsageReports;

public sealed class SqliteUsageQueryTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "charter-usage-" + Guid.NewGuid().ToString("N")[..10]);
    private SqliteGatewayStore _store = null!;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        _store = new SqliteGatewayStore(Path.Combine(_dir, "charter.db"));
        await _store.MigrateAsync();
        // key, team, model, purpose, ts, prompt, completion, cost nanos, decision
        await InsertAsync("k1", "t1", "gpt-4o", "evaluation", new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero), 10, 20, 1_000, "allow");
        await InsertAsync("k1", "t1", "gpt-4o", "evaluation", new DateTimeOffset(2026, 11, 1, 23, 59, 59, TimeSpan.Zero), 1, 2, 3, "flag");
        await InsertAsync("k2", "t1", "gpt-4o-mini", "testing", new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero), 5, 7, 11, "allow");
        await InsertAsync("k3", "t2", "gpt-4o", "testing", new DateTimeOffset(2026, 11, 2, 12, 0, 0, TimeSpan.Zero), 100, 200, 300, "allow");
        await InsertAsync("k3", "t2", "gpt-4o", "testing", new DateTimeOffset(2026, 11, 2, 12, 0, 1, TimeSpan.Zero), 999, 999, 999, "deny");
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task QueryAsync_NoGrouping_OneTotalRowWithoutDeniedRequests()
    {
        var rows = await new SqliteUsageQuery(_store).QueryAsync([], null, null);

        var row = Assert.Single(rows);
        Assert.Equal(4, row.Requests);
        Assert.Equal(116, row.PromptTokens);
        Assert.Equal(229, row.CompletionTokens);
        Assert.Equal(1_314, row.CostNanos);
        Assert.Equal(0.000001314m, row.CostUsd);
        Assert.Null(row.Team);
    }

    [Fact]
    public async Task QueryAsync_GroupByTeamAndModel_OneRowPerCombinationOrdered()
    {
        var rows = await new SqliteUsageQuery(_store).QueryAsync([UsageDimension.Team, UsageDimension.Model], null, null);

        Assert.Equal(3, rows.Count);
        Assert.Equal(("t1", "gpt-4o", 2L, 11L, 22L, 1_003L), (rows[0].Team, rows[0].Model, rows[0].Requests, rows[0].PromptTokens, rows[0].CompletionTokens, rows[0].CostNanos));
        Assert.Equal(("t1", "gpt-4o-mini", 1L), (rows[1].Team, rows[1].Model, rows[1].Requests));
        Assert.Equal(("t2", "gpt-4o", 1L, 300L), (rows[2].Team, rows[2].Model, rows[2].Requests, rows[2].CostNanos));
        Assert.All(rows, r => Assert.Null(r.Key));
        Assert.All(rows, r => Assert.Null(r.Purpose));
    }

    [Fact]
    public async Task QueryAsync_GroupByDayAndPurpose_UsesUtcCalendarDays()
    {
        var rows = await new SqliteUsageQuery(_store).QueryAsync([UsageDimension.Day, UsageDimension.Purpose], null, null);

        Assert.Equal(2, rows.Count);
        Assert.Equal(("2026-11-01", "evaluation", 2L), (rows[0].Day, rows[0].Purpose, rows[0].Requests));
        Assert.Equal(("2026-11-02", "testing", 2L), (rows[1].Day, rows[1].Purpose, rows[1].Requests));
    }

    [Fact]
    public async Task QueryAsync_FromInclusiveToExclusive_FiltersByTime()
    {
        var from = new DateTimeOffset(2026, 11, 1, 23, 59, 59, TimeSpan.Zero);
        var to = new DateTimeOffset(2026, 11, 2, 12, 0, 0, TimeSpan.Zero);

        var rows = await new SqliteUsageQuery(_store).QueryAsync([UsageDimension.Key], from, to);

        Assert.Equal(["k1", "k2"], rows.Select(r => r.Key));
        Assert.Equal(1, rows[0].Requests);
        Assert.Equal(3, rows[0].CostNanos);
    }

    [Fact]
    public async Task QueryAsync_EmptyRange_NoRows()
    {
        var rows = await new SqliteUsageQuery(_store).QueryAsync([], new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), null);

        Assert.Empty(rows);
    }

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

    private async Task InsertAsync(string key, string team, string model, string purpose, DateTimeOffset ts, int prompt, int completion, long cost, string decision)
    {
        await using var c = await _store.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = """
            INSERT INTO requests(id, ts, key_id, team_id, model, purpose, prompt_tokens, completion_tokens, cost_nanos, decision, status)
            VALUES ($id, $ts, $k, $t, $m, $p, $pt, $ct, $cost, $d, 200)
            """;
        cmd.Parameters.AddWithValue("$id", Guid.NewGuid().ToString("N"));
        cmd.Parameters.AddWithValue("$ts", SqliteGatewayStore.Ts(ts));
        cmd.Parameters.AddWithValue("$k", key);
        cmd.Parameters.AddWithValue("$t", team);
        cmd.Parameters.AddWithValue("$m", model);
        cmd.Parameters.AddWithValue("$p", purpose);
        cmd.Parameters.AddWithValue("$pt", prompt);
        cmd.Parameters.AddWithValue("$ct", completion);
        cmd.Parameters.AddWithValue("$cost", cost);
        cmd.Parameters.AddWithValue("$d", decision);
        await cmd.ExecuteNonQueryAsync();
    }
}

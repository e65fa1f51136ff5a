// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;
using Charter.Records;
using Charter.Storage;
using Charter.UsageReports;

namespace Charter.Tests.UsageReports;

/// <summary>What every <see cref="IUsageQuery"/> must answer, with identical expectations on each back-end (run by the subclasses).</summary>
public abstract class UsageQueryContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Nov1 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private IGatewayStore? _store;
    private long _offset;

    protected IGatewayStore Store => _store ?? throw new InvalidOperationException("not initialized");

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = await CreateStoreAsync();
        await _store.MigrateAsync(Ct);

        // key, team, model, purpose, ts, prompt, completion, cost nanos, decision
        await AddAsync("k1", "t1", "gpt-4o", "evaluation", Nov1.AddHours(10), 10, 20, 1_000, "allow");
        await AddAsync("k1", "t1", "gpt-4o", "evaluation", Nov1.AddDays(1).AddMilliseconds(-1), 1, 2, 3, "flag");
        await AddAsync("k2", "t1", "gpt-4o-mini", "testing", Nov1.AddDays(1), 5, 7, 11, "allow");
        await AddAsync("k3", "t2", "gpt-4o", "testing", Nov1.AddDays(1).AddHours(12), 100, 200, 300, "allow");
        await AddAsync("k3", "t2", "gpt-4o", "testing", Nov1.AddDays(1).AddHours(12).AddSeconds(1), 999, 999, 999, "deny");
    }

    public async ValueTask DisposeAsync()
    {
        await DisposeStoreAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Creates a migrated-or-not store over this test's own, empty database.</summary>
    protected abstract Task<IGatewayStore> CreateStoreAsync();

    /// <summary>The back-end's usage query over <paramref name="store"/>.</summary>
    protected abstract IUsageQuery CreateQuery(IGatewayStore store);

    /// <summary>Releases the store and deletes the database.</summary>
    protected abstract ValueTask DisposeStoreAsync();

    [Fact]
    public async Task QueryAsync_NoGrouping_OneTotalRowWithoutDeniedRequests()
    {
        var rows = await CreateQuery(Store).QueryAsync([], null, null, Ct);

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
        var rows = await CreateQuery(Store).QueryAsync([UsageDimension.Team, UsageDimension.Model], null, null, Ct);

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
        var rows = await CreateQuery(Store).QueryAsync([UsageDimension.Day, UsageDimension.Purpose], null, null, Ct);

        Assert.Equal(2, rows.Count);
        Assert.Equal(("2026-11-01", "evaluation", 2L), (rows[0].Day, rows[0].Purpose, rows[0].Requests));
        Assert.Equal(("2026-11-02", "testing", 2L), (rows[1].Day, rows[1].Purpose, rows[1].Requests));
    }

    [Fact]
    public async Task QueryAsync_FromInclusiveToExclusive_FiltersByTime()
    {
        var from = Nov1.AddDays(1).AddMilliseconds(-1);
        var to = Nov1.AddDays(1).AddHours(12);

        var rows = await CreateQuery(Store).QueryAsync([UsageDimension.Key], from, to, Ct);

        Assert.Equal(["k1", "k2"], rows.Select(r => r.Key));
        Assert.Equal(1, rows[0].Requests);
        Assert.Equal(3, rows[0].CostNanos);
    }

    [Fact]
    public async Task QueryAsync_EmptyRange_NoRows()
    {
        var rows = await CreateQuery(Store).QueryAsync([], new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), null, Ct);

        Assert.Empty(rows);
    }

    [Fact]
    public async Task QueryAsync_EmptyRangeGrouped_NoRows()
    {
        var rows = await CreateQuery(Store).QueryAsync([UsageDimension.Team], null, Nov1, Ct);

        Assert.Empty(rows);
    }

    [Fact]
    public async Task QueryAsync_GroupByTeam_OrdersBytewiseWithMissingValuesFirst()
    {
        await AddAsync("k4", null, "gpt-4o", null, Nov1.AddHours(1), 1, 1, 1, null);
        await AddAsync("k5", "T3", "gpt-4o", "testing", Nov1.AddHours(2), 1, 1, 1, "allow");
        await AddAsync("k6", "_t", "gpt-4o", "testing", Nov1.AddHours(3), 1, 1, 1, "allow");

        var teams = await CreateQuery(Store).QueryAsync([UsageDimension.Team], null, null, Ct);
        var purposes = await CreateQuery(Store).QueryAsync([UsageDimension.Purpose, UsageDimension.Team], null, null, Ct);

        // Byte order, as SQLite's BINARY collation: 'T' (0x54) < '_' (0x5F) < 't' (0x74); a record without a value sorts first.
        Assert.Equal([null, "T3", "_t", "t1", "t2"], teams.Select(r => r.Team));
        Assert.Equal(1, teams[0].Requests);
        Assert.Equal((null, null), (purposes[0].Purpose, purposes[0].Team));
        Assert.Equal(("evaluation", "t1"), (purposes[1].Purpose, purposes[1].Team));
        Assert.Equal(("testing", "T3"), (purposes[2].Purpose, purposes[2].Team));
    }

    [Fact]
    public async Task QueryAsync_CostsNearInt64Max_SumsExactly()
    {
        // 9,000,000,000,000,000,003 nano-dollars: a floating-point sum would lose the last digits.
        for (var i = 0; i < 3; i++)
        {
            await AddAsync("big", "rich", "o1", "evaluation", Nov1.AddDays(5).AddMinutes(i), int.MaxValue, int.MaxValue, 3_000_000_000_000_000_001, "allow");
        }

        var row = Assert.Single(await CreateQuery(Store).QueryAsync([], Nov1.AddDays(5), null, Ct));

        Assert.Equal(9_000_000_000_000_000_003, row.CostNanos);
        Assert.Equal(9_000_000_000.000_000_003m, row.CostUsd);
        Assert.Equal(3L * int.MaxValue, row.PromptTokens);
        Assert.Equal(3L * int.MaxValue, row.CompletionTokens);
    }

    [Fact]
    public async Task QueryAsync_CompletionMissing_CountsRequestWithZeroTokensAndCost()
    {
        await IntegrateAsync(new JournalEvent { Kind = "request", Id = "pending", Ts = Nov1.AddDays(3), Key = "k9", Team = "t9", Model = "m", Purpose = "p", Decision = "allow" });

        var row = Assert.Single(await CreateQuery(Store).QueryAsync([UsageDimension.Key], Nov1.AddDays(3), null, Ct));

        Assert.Equal(("k9", 1L, 0L, 0L, 0L), (row.Key, row.Requests, row.PromptTokens, row.CompletionTokens, row.CostNanos));
    }

    [Fact]
    public async Task QueryAsync_EveryGroupingAndRange_MatchesRecordsGroupedInMemory()
    {
        await AddRandomRecordsAsync(new Random(20261127), 120);
        var records = new List<RequestRecord>();
        await foreach (var r in Store.ReadRequestsAsync(null, null, Ct))
        {
            records.Add(r);
        }

        UsageDimension[] all = [UsageDimension.Key, UsageDimension.Team, UsageDimension.Model, UsageDimension.Purpose, UsageDimension.Day];
        (DateTimeOffset? From, DateTimeOffset? To)[] ranges = [(null, null), (Nov1.AddDays(1), Nov1.AddDays(3).AddHours(7)), (null, Nov1.AddDays(2))];
        var checkedRows = 0;
        for (var mask = 0; mask < 1 << all.Length; mask++)
        {
            // Both orders of the chosen dimensions: the grouping order is the sort order.
            var dims = all.Where((_, i) => (mask & (1 << i)) != 0).ToArray();
            foreach (var order in new[] { dims, Enumerable.Reverse(dims).ToArray() })
            {
                foreach (var (from, to) in ranges)
                {
                    var actual = await CreateQuery(Store).QueryAsync(order, from, to, Ct);
                    var expected = Reference(records, order, from, to);
                    Assert.Equal(expected, actual);
                    checkedRows += actual.Count;
                }
            }
        }

        Assert.True(checkedRows > 1_000, $"only {checkedRows} rows compared");
    }

    /// <summary>The usage rows computed from the records themselves: the specification the SQL must meet.</summary>
    private static List<UsageRow> Reference(List<RequestRecord> records, UsageDimension[] dims, DateTimeOffset? from, DateTimeOffset? to)
    {
        var groups = new Dictionary<string, (string?[] Values, UsageRow Sum)>(StringComparer.Ordinal);
        foreach (var r in records)
        {
            if (r.Decision == "deny" || (from is { } f && r.Ts < f) || (to is { } t && r.Ts >= t))
            {
                continue;
            }

            var values = dims.Select(d => d switch
            {
                UsageDimension.Key => r.Key,
                UsageDimension.Team => r.Team,
                UsageDimension.Model => r.Model,
                UsageDimension.Purpose => r.Purpose,
                _ => r.Ts.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            }).ToArray();
            var id = string.Join("\u0001", values.Select(v => v is null ? "\u0000" : "=" + v));
            var sum = groups.TryGetValue(id, out var g) ? g.Sum : new UsageRow();
            groups[id] = (values, sum with
            {
                Requests = sum.Requests + 1,
                PromptTokens = sum.PromptTokens + (r.PromptTokens ?? 0),
                CompletionTokens = sum.CompletionTokens + (r.CompletionTokens ?? 0),
                CostNanos = sum.CostNanos + (r.CostNanos ?? 0),
            });
        }

        var list = groups.Values.ToList();
        list.Sort((a, b) =>
        {
            for (var i = 0; i < dims.Length; i++)
            {
                var c = (a.Values[i], b.Values[i]) switch
                {
                    (null, null) => 0,
                    (null, _) => -1,
                    (_, null) => 1,
                    var (x, y) => string.CompareOrdinal(x, y),
                };
                if (c != 0)
                {
                    return c;
                }
            }

            return 0;
        });
        return [.. list.Select(g =>
        {
            string? Get(UsageDimension d)
            {
                var i = Array.IndexOf(dims, d);
                return i < 0 ? null : g.Values[i];
            }

            return g.Sum with { Key = Get(UsageDimension.Key), Team = Get(UsageDimension.Team), Model = Get(UsageDimension.Model), Purpose = Get(UsageDimension.Purpose), Day = Get(UsageDimension.Day) };
        })];
    }

    private async Task AddRandomRecordsAsync(Random random, int count)
    {
        string?[] keys = ["k1", "k2", "K2", "k10", null];
        string?[] teams = ["alpha", "Alpha", "beta", "_ops", null];
        string?[] models = ["gpt-4o", "gpt-4o-mini", "llama-3.1-8b-instruct"];
        string?[] purposes = ["evaluation", "testing", "product-feature", null];
        string?[] decisions = ["allow", "allow", "flag", "deny", null];
        for (var i = 0; i < count; i++)
        {
            // Times cluster around UTC midnights so the day grouping and the bounds meet records on both sides.
            var ts = Nov1.AddDays(random.Next(0, 4)).AddMilliseconds(random.Next(-2, 3) * (random.Next(2) == 0 ? 1 : 3_600_000));
            await AddAsync(Pick(random, keys), Pick(random, teams), Pick(random, models), Pick(random, purposes), ts,
                random.Next(0, 5_000), random.Next(0, 5_000), random.Next(3) == 0 ? null : random.NextInt64(0, 50_000_000_000), Pick(random, decisions));
        }
    }

    private static string? Pick(Random random, string?[] values) => values[random.Next(values.Length)];

    private Task AddAsync(string? key, string? team, string? model, string? purpose, DateTimeOffset ts, int prompt, int completion, long? cost, string? decision)
    {
        var id = "r" + _offset.ToString(CultureInfo.InvariantCulture);
        return IntegrateAsync(
            new JournalEvent { Kind = "request", Id = id, Ts = ts, Key = key, Team = team, Model = model, Purpose = purpose, Decision = decision },
            new JournalEvent { Kind = "completion", Id = id, Ts = ts, Status = 200, PromptTokens = prompt, CompletionTokens = completion, CostNanos = cost });
    }

    private Task IntegrateAsync(params JournalEvent[] events)
    {
        _offset++;
        return Store.IntegrateAsync(events, new JournalPosition(1, _offset), Ct);
    }
}

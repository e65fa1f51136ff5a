// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;
using Charter.Admin;
using Charter.Records;
using Charter.Storage;

namespace Charter.Tests.Storage;

/// <summary>What every native <see cref="IEvalRunQuery"/> must answer, with identical expectations on each back-end (run by the subclasses).</summary>
public abstract class EvalRunQueryContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 3, 9, 0, 0, TimeSpan.Zero);
    private IGatewayStore? _store;
    private long _offset;

    protected IGatewayStore Store => _store ?? throw new InvalidOperationException("not initialized");

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = await CreateStoreAsync();
        await _store.MigrateAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await DisposeStoreAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Creates a store over this test's own, empty database.</summary>
    protected abstract Task<IGatewayStore> CreateStoreAsync();

    /// <summary>The back-end's eval-run query over <paramref name="store"/>.</summary>
    protected abstract IEvalRunQuery CreateQuery(IGatewayStore store);

    /// <summary>Releases the store and deletes the database.</summary>
    protected abstract ValueTask DisposeStoreAsync();

    [Fact]
    public async Task ListRunsAsync_RunsOfTwoKeys_OneRowPerRunKeyTeamNewestFirstWithTotals()
    {
        await AddAsync("run-a", "k1", "t1", "gpt-4o", "evaluation", T0, 10, 20, 5, "allow", 200);
        await AddAsync("run-a", "k1", "t1", "llama-3.1-8b-instruct", "evaluation", T0.AddSeconds(1), 1, 2, null, "deny", 403);
        await AddAsync("run-a", "k1", "t1", "gpt-4o", "evaluation", T0.AddSeconds(2), 3, 4, 7, "allow", 502);
        await AddAsync("run-a", "k2", "t2", "gpt-4o-mini", "evaluation", T0.AddSeconds(3), 1, 1, null, "allow", 200);
        await AddAsync("run-b", "k2", "t2", "gpt-4o-mini", "testing", T0.AddSeconds(4), 100, 200, null, "allow", 200);
        await AddAsync("run-b", "k2", "t2", "gpt-4o", "evaluation", T0.AddSeconds(5), 100, 200, null, "flag", 200);
        await AddAsync(null, "k1", "t1", "gpt-4o", "testing", T0.AddSeconds(6), 1, 1, 1, "allow", 200);
        await AddAsync(string.Empty, "k1", "t1", "gpt-4o", "testing", T0.AddSeconds(7), 1, 1, 1, "allow", 200);

        var runs = await CreateQuery(Store).ListRunsAsync(null, null, 100, Ct);

        Assert.Equal([("run-b", "k2"), ("run-a", "k2"), ("run-a", "k1")], runs.Select(r => (r.RunId, r.Key!)));
        var b = runs[0];
        Assert.Equal(["gpt-4o", "gpt-4o-mini"], b.Models);
        Assert.Equal(["evaluation", "testing"], b.Purposes);
        Assert.Equal((2L, 0L, 0L, 200L, 400L, (long?)null), (b.Requests, b.Denied, b.Errors, b.PromptTokens, b.CompletionTokens, b.CostNanos));
        var a = runs[2];
        Assert.Equal("t1", a.Team);
        Assert.Equal(["gpt-4o", "llama-3.1-8b-instruct"], a.Models);
        Assert.Equal(["evaluation"], a.Purposes);
        Assert.Equal((3L, 1L, 2L, 14L, 26L, (long?)12L), (a.Requests, a.Denied, a.Errors, a.PromptTokens, a.CompletionTokens, a.CostNanos));
        Assert.Equal((T0, T0.AddSeconds(2)), (a.FirstTs, a.LastTs));
    }

    [Fact]
    public async Task ListRunsAsync_KeyTeamAndLimit_FilterAndTruncate()
    {
        await AddAsync("run-a", "k1", "t1", "gpt-4o", "evaluation", T0, 1, 1, 1, "allow", 200);
        await AddAsync("run-b", "k2", "t2", "gpt-4o", "evaluation", T0.AddSeconds(1), 1, 1, 1, "allow", 200);
        await AddAsync("run-c", "k2", "t2", "gpt-4o", "evaluation", T0.AddSeconds(2), 1, 1, 1, "allow", 200);
        var query = CreateQuery(Store);

        Assert.Equal(["run-a"], (await query.ListRunsAsync("k1", null, 100, Ct)).Select(r => r.RunId));
        Assert.Equal(["run-c", "run-b"], (await query.ListRunsAsync(null, "t2", 100, Ct)).Select(r => r.RunId));
        Assert.Empty(await query.ListRunsAsync("k1", "t2", 100, Ct));
        Assert.Equal(["run-c"], (await query.ListRunsAsync(null, null, 1, Ct)).Select(r => r.RunId));
        Assert.Empty(await query.ListRunsAsync("nobody", null, 100, Ct));
    }

    [Fact]
    public async Task ListRunsAsync_SameNewestTime_OrdersByRunIdBytewise()
    {
        await AddAsync("run-a", "k1", "t1", "gpt-4o", "evaluation", T0, 1, 1, 1, "allow", 200);
        await AddAsync("run-B", "k1", "t1", "gpt-4o", "evaluation", T0, 1, 1, 1, "allow", 200);
        await AddAsync("run-_", "k1", "t1", "gpt-4o", "evaluation", T0, 1, 1, 1, "allow", 200);

        var runs = await CreateQuery(Store).ListRunsAsync(null, null, 100, Ct);

        // 'B' (0x42) < '_' (0x5F) < 'a' (0x61), as SQLite's BINARY collation and the record scan's ordinal comparison.
        Assert.Equal(["run-B", "run-_", "run-a"], runs.Select(r => r.RunId));
    }

    [Fact]
    public async Task ListRunsAsync_RecordsWithoutModelOrCompletion_EmptyListsAndNullCost()
    {
        await AddAsync("run-x", null, null, null, null, T0, 0, 0, null, null, 200);
        _offset++;
        await Store.IntegrateAsync([new JournalEvent { Kind = "request", Id = "pending", Ts = T0.AddSeconds(1), EvalRun = "run-x" }], new JournalPosition(2, _offset), Ct);

        var run = Assert.Single(await CreateQuery(Store).ListRunsAsync(null, null, 100, Ct));

        Assert.Equal(("run-x", (string?)null, (string?)null, 2L, 0L, 0L, (long?)null), (run.RunId, run.Key, run.Team, run.Requests, run.Denied, run.Errors, run.CostNanos));
        Assert.Empty(run.Models);
        Assert.Empty(run.Purposes);
        Assert.Equal(T0.AddSeconds(1), run.LastTs);
    }

    [Fact]
    public async Task ListRunsAsync_ManyRecords_SameRunsAsRecordScan()
    {
        var random = new Random(4242);
        string?[] keys = ["k1", "k2", "K1", null];
        string?[] teams = ["t1", "t2", null];
        string?[] models = ["gpt-4o", "gpt-4o-mini", "llama-3.1-8b-instruct", null];
        string?[] decisions = ["allow", "flag", "deny", null];
        var seconds = Enumerable.Range(0, 150).ToArray();
        random.Shuffle(seconds); // distinct times: runs never tie on their newest record
        for (var i = 0; i < seconds.Length; i++)
        {
            var run = random.Next(8) == 0 ? null : "run-" + random.Next(12).ToString(CultureInfo.InvariantCulture);
            await AddAsync(run, Pick(random, keys), Pick(random, teams), Pick(random, models), random.Next(4) == 0 ? "testing" : "evaluation",
                T0.AddSeconds(seconds[i]), random.Next(0, 900), random.Next(0, 900), random.Next(3) == 0 ? null : random.NextInt64(0, 10_000_000), Pick(random, decisions),
                random.Next(5) == 0 ? 429 : 200);
        }

        var native = CreateQuery(Store);
        var scan = new RecordScanEvalRunQuery(Store);
        foreach (var (key, team, limit) in new (string?, string?, int)[] { (null, null, 1000), ("k1", null, 1000), (null, "t2", 1000), ("K1", "t1", 1000), (null, null, 5) })
        {
            var expected = (await scan.ListRunsAsync(key, team, limit, Ct)).Select(Describe).ToList();
            var actual = (await native.ListRunsAsync(key, team, limit, Ct)).Select(Describe).ToList();
            Assert.NotEmpty(actual);
            Assert.Equal(expected, actual);
        }
    }

    private static string Describe(EvalRunSummary s) =>
        $"{s.RunId} {s.Key} {s.Team} [{string.Join(",", s.Models)}] [{string.Join(",", s.Purposes)}] {s.Requests} {s.Denied} {s.Errors} "
        + $"{s.FirstTs.UtcTicks} {s.LastTs.UtcTicks} {s.PromptTokens} {s.CompletionTokens} {s.CostNanos}";

    private static string? Pick(Random random, string?[] values) => values[random.Next(values.Length)];

    private Task AddAsync(string? run, string? key, string? team, string? model, string? purpose, DateTimeOffset ts, int prompt, int completion, long? cost, string? decision, int status)
    {
        _offset++;
        var id = "r" + _offset.ToString(CultureInfo.InvariantCulture);
        return Store.IntegrateAsync(
            [
                new JournalEvent { Kind = "request", Id = id, Ts = ts, Key = key, Team = team, Model = model, Purpose = purpose, Decision = decision, EvalRun = run },
                new JournalEvent { Kind = "completion", Id = id, Ts = ts, Status = status, PromptTokens = prompt, CompletionTokens = completion, CostNanos = cost },
            ],
            new JournalPosition(1, _offset),
            Ct);
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Net;
using Charter.Eval.Client;
using Charter.Eval.Running;
using Charter.Eval.Statistics;
using Charter.Eval.Storage;
using Charter.Eval.Suites;

namespace Charter.Tests.Eval;

public sealed class EvalRunnerTests : IDisposable
{
    private static readonly GatewayClientOptions _fast = new() { BaseUrl = "http://gw.test", BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) };
    private readonly string _dir = Directory.CreateTempSubdirectory("charter-eval-run-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private string Db => Path.Combine(_dir, "charter.db");

    private static FakeChatHandler Handler(Func<int, HttpResponseMessage?>? fault = null)
        => new((model, q) => EvalTestData.Answer(model, q, model == "good" ? 0.9 : 0.5)) { Fault = fault };

    [Fact]
    public async Task Run_ScoresStoresAndComputesCost()
    {
        var suite = EvalTestData.MultipleChoice(40, "good", "weak");
        var handler = Handler();
        using var client = new GatewayClient(_fast, handler);
        using var store = EvalStore.Open(Db);
        var outcome = await new EvalRunner(client, store).RunAsync(suite, new EvalRunOptions { Concurrency = 4 }, null, TestContext.Current.CancellationToken);

        Assert.Equal("completed", outcome.Run.Status);
        Assert.Equal(80, outcome.Results.Count);
        Assert.Equal(80, handler.Requests);
        Assert.Equal(80, outcome.Run.UpstreamRequests);
        var good = outcome.Results.Where(r => r.Model == "good").ToList();
        Assert.Equal(36, good.Count(r => r.Passed));
        Assert.All(good, r => Assert.Equal((20 * 1 + 5 * 2) / 1_000_000d, r.Cost!.Value, 12));
        Assert.All(outcome.Results.Where(r => r.Model == "weak"), r => Assert.Null(r.Cost));

        var stored = store.GetResults(outcome.Run.RunId);
        Assert.Equal(80, stored.Count);
        Assert.Equal(outcome.Results.Count(r => r.Passed), stored.Count(r => r.Passed));
        var run = store.FindRun(outcome.Run.RunId[..10]);
        Assert.NotNull(run);
        Assert.Equal(["good", "weak"], run!.Models);
        Assert.Equal("completed", run.Status);
        Assert.Equal(suite.Hash, run.SuiteHash);
    }

    [Fact]
    public async Task Run_SecondRun_IsServedFromCacheWithNoUpstreamRequest()
    {
        var suite = EvalTestData.MultipleChoice(30, "good", "weak");
        var handler = Handler();
        using var client = new GatewayClient(_fast, handler);
        using var store = EvalStore.Open(Db);
        var runner = new EvalRunner(client, store);
        var first = await runner.RunAsync(suite, new EvalRunOptions { Concurrency = 8 }, null, TestContext.Current.CancellationToken);
        var afterFirst = handler.Requests;
        var second = await runner.RunAsync(suite, new EvalRunOptions { Concurrency = 8 }, null, TestContext.Current.CancellationToken);

        Assert.Equal(60, afterFirst);
        Assert.Equal(afterFirst, handler.Requests);
        Assert.Equal(0, second.Run.UpstreamRequests);
        Assert.Equal(60, second.CacheHits);
        Assert.Equal(first.Results.Count(r => r.Passed), second.Results.Count(r => r.Passed));

        var third = await runner.RunAsync(suite, new EvalRunOptions { Concurrency = 8, UseCache = false }, null, TestContext.Current.CancellationToken);
        Assert.Equal(120, handler.Requests);
        Assert.Equal(0, third.CacheHits);
    }

    [Fact]
    public async Task Run_RepeatIndexIsPartOfTheCacheKey()
    {
        var suite = EvalTestData.MultipleChoice(5, "good");
        var handler = Handler();
        using var client = new GatewayClient(_fast, handler);
        using var store = EvalStore.Open(Db);
        var runner = new EvalRunner(client, store);
        await runner.RunAsync(suite, new EvalRunOptions { Repeat = 1 }, null, TestContext.Current.CancellationToken);
        var outcome = await runner.RunAsync(suite, new EvalRunOptions { Repeat = 3 }, null, TestContext.Current.CancellationToken);
        Assert.Equal(15, outcome.Results.Count);
        Assert.Equal(5, outcome.CacheHits);
        Assert.Equal(15, handler.Requests);
    }

    [Fact]
    public async Task Run_RateLimitStorm_LosesNoCase()
    {
        var suite = EvalTestData.MultipleChoice(50, "good", "weak");
        // 60% of requests are answered 429 (deterministic pattern), with occasional 503s.
        var handler = Handler(n => (n % 5) switch
        {
            0 or 1 or 2 => FakeChatHandler.RateLimited("1"),
            3 when n % 7 == 0 => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable),
            _ => null,
        });
        using var client = new GatewayClient(_fast, handler);
        using var store = EvalStore.Open(Db);
        var outcome = await new EvalRunner(client, store).RunAsync(suite, new EvalRunOptions { Concurrency = 16 }, null, TestContext.Current.CancellationToken);

        Assert.Equal(100, outcome.Results.Count);
        Assert.All(outcome.Results, r => Assert.Null(r.Error));
        Assert.Equal(100, outcome.Results.Select(r => (r.Model, r.CaseIndex)).Distinct().Count());
        Assert.True(handler.Requests > 200);
        Assert.Equal(100, store.GetResults(outcome.Run.RunId).Count);
    }

    [Fact]
    public async Task Run_ProgressCountersMatchResults()
    {
        var suite = EvalTestData.MultipleChoice(20, "good", "weak");
        using var client = new GatewayClient(_fast, Handler());
        var progress = new RunProgress();
        var outcome = await new EvalRunner(client, null).RunAsync(suite, new EvalRunOptions { Limit = 12 }, progress, TestContext.Current.CancellationToken);
        Assert.Equal(24, outcome.Results.Count);
        Assert.Equal(2, progress.Models.Count);
        Assert.All(progress.Models, m => Assert.Equal(12, m.Done));
        Assert.Equal(outcome.Results.Count(r => r.Model == "good" && r.Passed), progress.Models[0].Passed);
    }

    [Fact]
    public async Task Run_JudgeScorer_CallsJudgeModelAndCachesIt()
    {
        var suite = new EvalSuite
        {
            Name = "judge",
            Hash = "h",
            Messages = [new ChatMessageTemplate("user", PromptTemplate.Parse("Explain {{topic}}"))],
            Cases = [EvalTestData.Case(null, new Dictionary<string, string> { ["topic"] = "tides" }), EvalTestData.Case(null, new Dictionary<string, string> { ["topic"] = "rain" }, 1)],
            Scorer = new ScorerSpec { Type = ScorerKind.Judge, Judge = new JudgeSpec { Model = "judge", Messages = SuiteLoader.DefaultJudgePrompt(), Rubric = PromptTemplate.Parse("mentions the moon") } },
            Models = ["m"],
        };
        var handler = new FakeChatHandler((model, last) => model == "judge"
            ? (last.Contains("moon", StringComparison.Ordinal) && last.Contains("tides are the moon", StringComparison.Ordinal) ? "{\"score\": 0.9}" : "{\"score\": 0.1}")
            : last.Contains("tides", StringComparison.Ordinal) ? "tides are the moon's pull" : "rain is water");
        using var client = new GatewayClient(_fast, handler);
        using var store = EvalStore.Open(Db);
        var runner = new EvalRunner(client, store);
        var outcome = await runner.RunAsync(suite, new EvalRunOptions(), null, TestContext.Current.CancellationToken);
        Assert.Equal(4, handler.Requests);
        Assert.True(outcome.Results.Single(r => r.CaseIndex == 0).Passed);
        Assert.False(outcome.Results.Single(r => r.CaseIndex == 1).Passed);
        Assert.Equal(0.9, outcome.Results.Single(r => r.CaseIndex == 0).Score, 6);

        var again = await runner.RunAsync(suite, new EvalRunOptions(), null, TestContext.Current.CancellationToken);
        Assert.Equal(4, handler.Requests);
        Assert.True(again.Results.Single(r => r.CaseIndex == 0).Passed);
    }

    [Fact]
    public async Task Run_DeniedRequests_AreRecordedAsErrors()
    {
        var suite = EvalTestData.MultipleChoice(3, "good");
        var handler = Handler(_ => new HttpResponseMessage(HttpStatusCode.Forbidden) { Content = new StringContent("{\"error\":{\"message\":\"no\",\"code\":\"charter_policy_denied\"}}") });
        using var client = new GatewayClient(_fast, handler);
        var outcome = await new EvalRunner(client, null).RunAsync(suite, new EvalRunOptions(), null, TestContext.Current.CancellationToken);
        Assert.All(outcome.Results, r =>
        {
            Assert.False(r.Passed);
            Assert.Contains("charter_policy_denied", r.Error, StringComparison.Ordinal);
        });
        var stats = StatisticsCalculator.Compute(outcome.Run.Models, outcome.Results);
        Assert.Equal(3, stats.Models[0].Errors);
    }

    [Fact]
    public void CacheKey_DependsOnBodyAndRepeat()
    {
        var a = GatewayClient.BuildBody("m", [("user", "x")], RequestParameters.Default);
        var b = GatewayClient.BuildBody("m", [("user", "x")], new RequestParameters { Temperature = 0.5 });
        var c = GatewayClient.BuildBody("m2", [("user", "x")], RequestParameters.Default);
        Assert.Equal(EvalRunner.CacheKey(a, 0), EvalRunner.CacheKey(a.ToArray(), 0));
        Assert.NotEqual(EvalRunner.CacheKey(a, 0), EvalRunner.CacheKey(a, 1));
        Assert.NotEqual(EvalRunner.CacheKey(a, 0), EvalRunner.CacheKey(b, 0));
        Assert.NotEqual(EvalRunner.CacheKey(a, 0), EvalRunner.CacheKey(c, 0));
        Assert.Equal(64, EvalRunner.CacheKey(a, 0).Length);
    }
}

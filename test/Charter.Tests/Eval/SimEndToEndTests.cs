// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Eval.Client;
using Charter.Eval.Running;
using Charter.Eval.Statistics;
using Charter.Eval.Storage;
using Charter.Eval.Suites;
using Charter.Sim;

namespace Charter.Tests.Eval;

/// <summary>Runs the shipped multiple-choice suite against the simulated provider over real loopback HTTP.</summary>
public sealed class SimEndToEndTests : IDisposable
{
    private static readonly Dictionary<string, double> _configured = new()
    {
        ["gpt-4o"] = 0.85,
        ["gpt-4o-mini"] = 0.70,
        ["llama-3.1-8b-instruct"] = 0.55,
    };

    private readonly string _dir = Directory.CreateTempSubdirectory("charter-eval-sim-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static EvalSuite McSuite()
    {
        var load = SuiteLoader.Load(Path.Combine(SuiteLoaderTests.FindEvalsDir(), "general-knowledge-mc.yaml"));
        Assert.True(load.Success, string.Join("; ", load.Errors));
        return load.Suite!;
    }

    [Fact]
    public void ShippedMcSuite_ExpectedLettersFollowTheSimulatorConvention()
    {
        var suite = McSuite();
        Assert.Equal(300, suite.Cases.Count);
        var user = suite.Messages.Last(m => m.Role == "user");
        foreach (var c in suite.Cases)
        {
            var text = user.Content.Render(c.Vars);
            Assert.Equal(4, Simulator.CountOptions(text));
            Assert.Equal(c.Expected![0], Simulator.ExpectedChoice(text, 4));
        }
    }

    [Fact]
    public async Task Run_ThreeModels_ConfiguredAccuraciesInsideReportedIntervals()
    {
        await using var sim = await SimServer.StartAsync(SimServer.ThreeModels());
        using var client = new GatewayClient(new GatewayClientOptions { BaseUrl = sim.Url });
        using var store = EvalStore.Open(Path.Combine(_dir, "charter.db"));
        var outcome = await new EvalRunner(client, store).RunAsync(McSuite(), new EvalRunOptions { Concurrency = 16, GatewayUrl = sim.Url }, null, TestContext.Current.CancellationToken);

        Assert.Equal(900, outcome.Results.Count);
        Assert.All(outcome.Results, r => Assert.Null(r.Error));
        var stats = StatisticsCalculator.Compute(outcome.Run.Models, outcome.Results);
        foreach (var m in stats.Models)
        {
            Assert.True(m.Interval.Contains(_configured[m.Model]), $"{m.Model}: {m.Accuracy:P1} [{m.Interval.Lower:P1}, {m.Interval.Upper:P1}] should contain {_configured[m.Model]:P0}");
            Assert.NotNull(m.TotalCost);
        }

        Assert.Equal(["gpt-4o", "gpt-4o-mini", "llama-3.1-8b-instruct"], stats.Models.Select(m => m.Model));
        var strongVsWeak = stats.Pairs.Single(p => p.ModelA == "gpt-4o" && p.ModelB == "llama-3.1-8b-instruct");
        Assert.True(strongVsWeak.ExactPValue < 0.001);
        Assert.True(strongVsWeak.OnlyA > strongVsWeak.OnlyB);
        Assert.Equal(900, sim.Simulator.RequestCount);
    }

    [Fact]
    public async Task Run_Twice_SecondRunSendsNoRequestToTheSimulator()
    {
        await using var sim = await SimServer.StartAsync(SimServer.ThreeModels());
        using var client = new GatewayClient(new GatewayClientOptions { BaseUrl = sim.Url });
        using var store = EvalStore.Open(Path.Combine(_dir, "charter.db"));
        var runner = new EvalRunner(client, store);
        var options = new EvalRunOptions { Concurrency = 16, Limit = 100 };
        var first = await runner.RunAsync(McSuite(), options, null, TestContext.Current.CancellationToken);
        var count = sim.Simulator.RequestCount;
        var second = await runner.RunAsync(McSuite(), options, null, TestContext.Current.CancellationToken);

        Assert.Equal(300, count);
        Assert.Equal(count, sim.Simulator.RequestCount);
        Assert.Equal(300, second.CacheHits);
        Assert.Equal(0, second.Run.UpstreamRequests);
        Assert.Equal(first.Results.Count(r => r.Passed), second.Results.Count(r => r.Passed));
    }

    [Fact]
    public async Task Run_RateLimitStormErrorsAndDrops_NoCaseLost()
    {
        var options = SimServer.ThreeModels();
        options.RateLimitRate = 0.5;
        options.RetryAfterSeconds = 0;
        options.ErrorRate = 0.1;
        options.DropRate = 0.05;
        await using var sim = await SimServer.StartAsync(options);
        using var client = new GatewayClient(new GatewayClientOptions { BaseUrl = sim.Url, BaseDelay = TimeSpan.FromMilliseconds(2), MaxAttempts = 12 });
        var outcome = await new EvalRunner(client, null).RunAsync(McSuite(), new EvalRunOptions { Concurrency = 16, Limit = 100 }, null, TestContext.Current.CancellationToken);

        Assert.Equal(300, outcome.Results.Count);
        Assert.All(outcome.Results, r => Assert.Null(r.Error));
        Assert.Equal(300, outcome.Results.Select(r => (r.Model, r.CaseIndex)).Distinct().Count());
        Assert.True(sim.Simulator.RequestCount > 450, "the storm should have forced retries");
        Assert.Contains(outcome.Results, r => r.Attempts > 1);

        // The answers are the same as in a calm run: retries do not change what is scored.
        await using var calm = await SimServer.StartAsync(SimServer.ThreeModels());
        using var calmClient = new GatewayClient(new GatewayClientOptions { BaseUrl = calm.Url });
        var reference = await new EvalRunner(calmClient, null).RunAsync(McSuite(), new EvalRunOptions { Concurrency = 16, Limit = 100 }, null, TestContext.Current.CancellationToken);
        Assert.Equal(reference.Results.Count(r => r.Passed), outcome.Results.Count(r => r.Passed));
    }
}

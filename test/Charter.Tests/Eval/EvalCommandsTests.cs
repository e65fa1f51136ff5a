// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Cli;

namespace Charter.Tests.Eval;

/// <summary>The <c>charter eval</c> commands end to end against the simulator.</summary>
public sealed class EvalCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("charter-eval-cli-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task RunReportExportListCompare_WorkTogether()
    {
        await using var sim = await SimServer.StartAsync(SimServer.ThreeModels());
        var suite = Path.Combine(SuiteLoaderTests.FindEvalsDir(), "general-knowledge-mc.yaml");
        var db = Path.Combine(_dir, "charter.db");
        var html = Path.Combine(_dir, "report.html");
        var json = Path.Combine(_dir, "run.json");

        Assert.Equal(0, await CliApp.RunAsync(["eval", "run", suite, "--gateway", sim.Url, "--limit", "40", "--db", db, "--json"]));
        Assert.Equal(0, await CliApp.RunAsync(["eval", "run", suite, "--gateway", sim.Url, "--limit", "40", "--models", "gpt-4o,gpt-4o-mini", "--db", db, "--json"]));
        Assert.Equal(0, await CliApp.RunAsync(["eval", "report", "last", "--out", html, "--db", db]));
        Assert.Equal(0, await CliApp.RunAsync(["eval", "export", "last", "--out", json, "--db", db]));
        Assert.Equal(0, await CliApp.RunAsync(["eval", "list", "--db", db, "--json"]));
        Assert.Contains("<svg", await File.ReadAllTextAsync(html, TestContext.Current.CancellationToken), StringComparison.Ordinal);
        using var doc = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(json, TestContext.Current.CancellationToken));
        Assert.Equal(80, doc.RootElement.GetProperty("results").GetArrayLength());
        Assert.Equal(0, doc.RootElement.GetProperty("run").GetProperty("upstream_requests").GetInt64());

        // Same cached answers in both runs: no regression.
        List<string> ids;
        using (var store = Charter.Eval.Storage.EvalStore.Open(db))
        {
            ids = store.ListRuns().Select(r => r.RunId).ToList();
        }

        Assert.Equal(2, ids.Count);
        Assert.Equal(0, await CliApp.RunAsync(["eval", "compare", ids[1], ids[0], "--db", db, "--json"]));
    }

    [Fact]
    public async Task Run_InvalidSuite_ExitsWithUsageError()
    {
        var suite = Path.Combine(_dir, "bad.yaml");
        await File.WriteAllTextAsync(suite, "prompt: x\n", TestContext.Current.CancellationToken);
        Assert.Equal(2, await CliApp.RunAsync(["eval", "run", suite, "--db", Path.Combine(_dir, "c.db")]));
    }

    [Fact]
    public async Task Report_UnknownRun_Fails()
    {
        Assert.Equal(1, await CliApp.RunAsync(["eval", "report", "nope", "--db", Path.Combine(_dir, "c.db")]));
    }
}

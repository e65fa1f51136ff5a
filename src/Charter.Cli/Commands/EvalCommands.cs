// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.CommandLine;
using System.Globalization;
using Charter.Eval.Client;
using Charter.Eval.Reporting;
using Charter.Eval.Running;
using Charter.Eval.Statistics;
using Charter.Eval.Storage;
using Charter.Eval.Suites;
using Charter.Eval.Terminal;
using Spectre.Console;

namespace Charter.Cli.Commands;

/// <summary><c>charter eval run|list|report|export|compare</c>: the evaluation harness.</summary>
internal static class EvalCommands
{
    public static Command Create()
    {
        var db = new Option<string>("--db") { Description = "SQLite file", DefaultValueFactory = _ => "charter.db" };
        var json = new Option<bool>("--json") { Description = "Print machine-readable JSON" };
        return new Command("eval", "Evaluate and compare models through the gateway (purpose: evaluation)")
        {
            RunCommand(db, json),
            ListCommand(db, json),
            ReportCommand(db),
            ExportCommand(db),
            CompareCommand(db, json),
        };
    }

    private static Command RunCommand(Option<string> db, Option<bool> json)
    {
        var suite = new Argument<string>("suite") { Description = "Suite YAML file" };
        var models = new Option<string?>("--models") { Description = "Comma-separated models (default: the suite's)" };
        var gateway = new Option<string>("--gateway") { Description = "Gateway base URL", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var key = new Option<string?>("--key") { Description = "Charter key (default: env CHARTER_KEY)" };
        var concurrency = new Option<int>("--concurrency") { Description = "Requests in flight", DefaultValueFactory = _ => 8 };
        var repeat = new Option<int>("--repeat") { Description = "Samples per case and model", DefaultValueFactory = _ => 1 };
        var limit = new Option<int?>("--limit") { Description = "Run only the first N cases" };
        var noCache = new Option<bool>("--no-cache") { Description = "Ignore and do not fill the response cache" };
        var report = new Option<string?>("--report") { Description = "Also write the HTML report to this file" };
        var cmd = new Command("run", "Run a suite on every model") { suite, models, gateway, key, concurrency, repeat, limit, noCache, report, db, json };
        cmd.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var load = SuiteLoader.Load(pr.GetValue(suite)!);
            if (!load.Success)
            {
                foreach (var e in load.Errors)
                {
                    Console.Error.WriteLine("error: " + e);
                }

                return 2;
            }

            var modelList = (pr.GetValue(models) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (modelList.Length == 0 && load.Suite.Models.Count == 0)
            {
                Console.Error.WriteLine("error: no models: pass --models a,b,c or list them in the suite");
                return 2;
            }

            var conc = pr.GetValue(concurrency);
            var rep = pr.GetValue(repeat);
            if (conc < 1 || rep < 1 || pr.GetValue(limit) is < 1)
            {
                Console.Error.WriteLine("error: --concurrency, --repeat and --limit must be at least 1");
                return 2;
            }

            var gatewayUrl = pr.GetValue(gateway)!;
            var clientOptions = new GatewayClientOptions
            {
                BaseUrl = gatewayUrl,
                ApiKey = pr.GetValue(key) ?? Environment.GetEnvironmentVariable("CHARTER_KEY"),
                MaxConnections = Math.Max(conc * 2, 16),
            };
            using var client = new GatewayClient(clientOptions);
            using var store = EvalStore.Open(pr.GetValue(db)!);
            var runner = new EvalRunner(client, store);
            var options = new EvalRunOptions
            {
                Models = modelList,
                Concurrency = conc,
                Repeat = rep,
                Limit = pr.GetValue(limit),
                UseCache = !pr.GetValue(noCache),
                GatewayUrl = gatewayUrl,
            };
            var progress = new RunProgress();
            var task = runner.RunAsync(load.Suite, options, progress, ct);
            var asJson = pr.GetValue(json);
            var console = AnsiConsole.Console;
            var outcome = asJson ? await task.ConfigureAwait(false) : await ProgressDisplay.ShowAsync(console, progress, task).ConfigureAwait(false);
            var stats = StatisticsCalculator.Compute(outcome.Run.Models, outcome.Results);
            if (pr.GetValue(report) is { } reportPath)
            {
                await File.WriteAllTextAsync(reportPath, HtmlReportWriter.Render(outcome.Run, stats, outcome.Results), ct).ConfigureAwait(false);
            }

            if (asJson)
            {
                Console.Out.WriteLine(ExportWriter.ToJson(new RunExport(outcome.Run, stats.Models, stats.Pairs, null)));
            }
            else
            {
                ConsoleReport.WriteSummary(console, outcome.Run, stats);
                var errors = outcome.Results.Count(r => r.Error is not null);
                if (errors > 0)
                {
                    console.MarkupLine($"[yellow]{errors} results ended in an error after retries (counted as wrong); first: {Markup.Escape(outcome.Results.First(r => r.Error is not null).Error!)}[/]");
                }

                console.MarkupLine($"[grey]report: charter eval report {outcome.Run.RunId} --out report.html[/]");
            }

            return outcome.Run.Status == "completed" ? 0 : 1;
        });
        return cmd;
    }

    private static Command ListCommand(Option<string> db, Option<bool> json)
    {
        var cmd = new Command("list", "List evaluation runs") { db, json };
        cmd.SetAction((ParseResult pr) =>
        {
            using var store = EvalStore.Open(pr.GetValue(db)!);
            var runs = store.ListRuns();
            if (pr.GetValue(json))
            {
                Console.Out.WriteLine(ExportWriter.ToJson(new RunListExport(runs)));
            }
            else if (runs.Count == 0)
            {
                AnsiConsole.MarkupLine("[grey]no runs yet: charter eval run SUITE.yaml[/]");
            }
            else
            {
                ConsoleReport.WriteRunList(AnsiConsole.Console, runs);
            }

            return 0;
        });
        return cmd;
    }

    private static Command ReportCommand(Option<string> db)
    {
        var run = new Argument<string>("run") { Description = "Run id, unique prefix, or 'last'" };
        var outFile = new Option<string>("--out") { Description = "HTML file to write", DefaultValueFactory = _ => "report.html" };
        var cmd = new Command("report", "Write a self-contained HTML report of a run") { run, outFile, db };
        cmd.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            using var store = EvalStore.Open(pr.GetValue(db)!);
            if (Find(store, pr.GetValue(run)!) is not { } info)
            {
                return 1;
            }

            var results = store.GetResults(info.RunId);
            var stats = StatisticsCalculator.Compute(info.Models, results);
            var path = pr.GetValue(outFile)!;
            await File.WriteAllTextAsync(path, HtmlReportWriter.Render(info, stats, results), ct).ConfigureAwait(false);
            Console.Out.WriteLine($"wrote {Path.GetFullPath(path)}");
            return 0;
        });
        return cmd;
    }

    private static Command ExportCommand(Option<string> db)
    {
        var run = new Argument<string>("run") { Description = "Run id, unique prefix, or 'last'" };
        var outFile = new Option<string?>("--out") { Description = "JSON file to write (default: standard output)" };
        var cmd = new Command("export", "Export a run (metadata, statistics, every result) as JSON") { run, outFile, db };
        cmd.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            using var store = EvalStore.Open(pr.GetValue(db)!);
            if (Find(store, pr.GetValue(run)!) is not { } info)
            {
                return 1;
            }

            var results = store.GetResults(info.RunId);
            var stats = StatisticsCalculator.Compute(info.Models, results);
            var text = ExportWriter.ToJson(new RunExport(info, stats.Models, stats.Pairs, results));
            if (pr.GetValue(outFile) is { } path)
            {
                await File.WriteAllTextAsync(path, text, ct).ConfigureAwait(false);
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {Path.GetFullPath(path)} ({results.Count} results)"));
            }
            else
            {
                Console.Out.WriteLine(text);
            }

            return 0;
        });
        return cmd;
    }

    private static Command CompareCommand(Option<string> db, Option<bool> json)
    {
        var runA = new Argument<string>("run-a") { Description = "Baseline run" };
        var runB = new Argument<string>("run-b") { Description = "Candidate run" };
        var cmd = new Command("compare", "Show regressions and improvements between two runs, case by case") { runA, runB, db, json };
        cmd.SetAction((ParseResult pr) =>
        {
            using var store = EvalStore.Open(pr.GetValue(db)!);
            if (Find(store, pr.GetValue(runA)!) is not { } a || Find(store, pr.GetValue(runB)!) is not { } b)
            {
                return 1;
            }

            var cmp = RunComparer.Compare(a, store.GetResults(a.RunId), b, store.GetResults(b.RunId));
            if (pr.GetValue(json))
            {
                Console.Out.WriteLine(ExportWriter.ToJson(cmp));
            }
            else
            {
                ConsoleReport.WriteComparison(AnsiConsole.Console, cmp);
            }

            return cmp.Regressions.Count > 0 ? 1 : 0;
        });
        return cmd;
    }

    private static EvalRunInfo? Find(EvalStore store, string id)
    {
        var info = store.FindRun(id);
        if (info is null)
        {
            Console.Error.WriteLine($"error: no run '{id}' (or the prefix is ambiguous); see charter eval list");
        }

        return info;
    }
}

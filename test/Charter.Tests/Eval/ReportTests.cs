// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Eval.Reporting;
using Charter.Eval.Running;
using Charter.Eval.Statistics;
using Charter.Eval.Terminal;
using Spectre.Console;

namespace Charter.Tests.Eval;

public sealed class ReportTests
{
    private static (EvalRunInfo Run, List<CaseResult> Results) SampleRun(string id, Func<string, int, bool> passed)
    {
        var results = new List<CaseResult>();
        foreach (var model in (string[])["alpha", "beta<script>"])
        {
            for (var i = 0; i < 30; i++)
            {
                results.Add(new CaseResult
                {
                    CaseIndex = i,
                    CaseId = "c" + i,
                    Model = model,
                    Prompt = "Question " + i + " & <b>",
                    Expected = "A",
                    Output = passed(model, i) ? "A" : "B",
                    Passed = passed(model, i),
                    Scorer = "choice",
                    LatencyMs = 40 + (i % 7 * 3) + (model.Length * 2),
                    PromptTokens = 30,
                    CompletionTokens = 3,
                    Cost = model == "alpha" ? 0.0002 : 0.00005,
                });
            }
        }

        var run = new EvalRunInfo
        {
            RunId = id,
            SuiteName = "sample",
            SuiteHash = "abcdef0123456789",
            GatewayUrl = "http://127.0.0.1:8080",
            Models = ["alpha", "beta<script>"],
            CaseCount = 30,
            StartedAt = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero),
            PolicyVersion = "policy-v3",
        };
        return (run, results);
    }

    [Fact]
    public void Html_IsSelfContainedAndEscaped()
    {
        var (run, results) = SampleRun("r1", (m, i) => m == "alpha" ? i % 10 != 0 : i % 2 == 0);
        var html = HtmlReportWriter.Render(run, StatisticsCalculator.Compute(run.Models, results), results);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"http", html, StringComparison.Ordinal);
        Assert.DoesNotContain("@import", html, StringComparison.Ordinal);
        Assert.Contains("beta&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.True(html.Split("<svg").Length - 1 >= 4);
        Assert.Contains("policy-v3", html, StringComparison.Ordinal);
        Assert.Contains("abcdef0123456789", html, StringComparison.Ordinal);
        Assert.Contains("Cases where the models disagree", html, StringComparison.Ordinal);
        Assert.Contains("McNemar", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 0.00023)]
    [InlineData(0, 1)]
    [InlineData(0.2, 0.8)]
    [InlineData(0, 12345)]
    public void Ticks_AreFewAndCoverTheRange(double min, double max)
    {
        var ticks = SvgCharts.Ticks(min, max, 5);
        Assert.InRange(ticks.Length, 3, 8);
        Assert.True(ticks[0] <= min);
        Assert.True(ticks[^1] >= max - 1e-12);
    }

    [Fact]
    public void Html_SmallRun_StaysSmall()
    {
        var (run, results) = SampleRun("r1", (m, i) => i % 3 != 0);
        var html = HtmlReportWriter.Render(run, StatisticsCalculator.Compute(run.Models, results), results);
        Assert.InRange(html.Length, 5_000, 200_000);
    }

    [Fact]
    public void Compare_FindsRegressionsAndImprovements()
    {
        var (runA, a) = SampleRun("ra", (_, i) => i < 20);
        var (runB, b) = SampleRun("rb", (_, i) => i is < 15 or >= 25);
        var cmp = RunComparer.Compare(runA, a, runB, b);
        Assert.True(cmp.SameSuite);
        Assert.Equal(2, cmp.Models.Count);
        Assert.Equal(10, cmp.Regressions.Count);
        Assert.Equal(10, cmp.Improvements.Count);
        var alpha = cmp.Models.Single(m => m.Model == "alpha");
        Assert.Equal(5, alpha.Regressions);
        Assert.Equal(5, alpha.Improvements);
        Assert.Equal(0, alpha.Delta, 10);
        Assert.Equal(1, alpha.PValue, 10);
    }

    [Fact]
    public void Console_SummaryListsModelsAndPairs()
    {
        var (run, results) = SampleRun("r1", (m, i) => m == "alpha" || i % 3 == 0);
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(writer), Interactive = InteractionSupport.No });
        console.Profile.Width = 220;
        ConsoleReport.WriteSummary(console, run, StatisticsCalculator.Compute(run.Models, results));
        var text = writer.ToString();
        Assert.Contains("alpha", text, StringComparison.Ordinal);
        Assert.Contains("beta<script>", text, StringComparison.Ordinal);
        Assert.Contains("100.0%", text, StringComparison.Ordinal);
        Assert.Contains("McNemar", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_Json_RoundTripsKeyFields()
    {
        var (run, results) = SampleRun("r1", (_, i) => i % 2 == 0);
        var stats = StatisticsCalculator.Compute(run.Models, results);
        var json = ExportWriter.ToJson(new RunExport(run, stats.Models, stats.Pairs, results));
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal("r1", doc.RootElement.GetProperty("run").GetProperty("run_id").GetString());
        Assert.Equal(60, doc.RootElement.GetProperty("results").GetArrayLength());
        Assert.Equal(0.5, doc.RootElement.GetProperty("models")[0].GetProperty("accuracy").GetDouble(), 10);
    }
}

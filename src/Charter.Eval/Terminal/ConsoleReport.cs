// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Eval.Reporting;
using Charter.Eval.Running;
using Charter.Eval.Statistics;
using Spectre.Console;

namespace Charter.Eval.Terminal;

/// <summary>Spectre.Console tables for the CLI: run summary, pairwise tests, run list, run comparison.</summary>
public static class ConsoleReport
{
    /// <summary>Prints the ranking table and the pairwise McNemar table of a run.</summary>
    public static void WriteSummary(IAnsiConsole console, EvalRunInfo run, RunStatistics stats)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(stats);
        var repeats = run.Repeat > 1;
        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{Markup.Escape(run.SuiteName)}[/]  run [aqua]{run.RunId}[/]");
        table.AddColumn("Model");
        table.AddColumn(new TableColumn("Accuracy [[95% CI]]").RightAligned());
        if (repeats)
        {
            table.AddColumn(new TableColumn("Repeats ± sd").RightAligned());
        }

        table.AddColumn(new TableColumn("n").RightAligned());
        table.AddColumn(new TableColumn("Err").RightAligned());
        table.AddColumn(new TableColumn("p50/p95 ms").RightAligned());
        table.AddColumn(new TableColumn("Tok/case").RightAligned());
        table.AddColumn(new TableColumn("Cost").RightAligned());
        table.AddColumn(new TableColumn("$/correct").RightAligned());
        foreach (var m in stats.Models)
        {
            var cells = new List<string>
            {
                Markup.Escape(m.Model),
                $"[bold]{Fmt.Pct(m.Accuracy)}[/] [grey][[{Fmt.Pct(m.Interval.Lower)}–{Fmt.Pct(m.Interval.Upper)}]][/]",
            };
            if (repeats)
            {
                cells.Add($"{Fmt.Pct(Mean(m.RepeatAccuracies))} ± {Fmt.Pct(m.RepeatStdDev)}");
            }

            cells.Add(Fmt.Int(m.Samples));
            cells.Add(m.Errors > 0 ? $"[red]{m.Errors}[/]" : "0");
            cells.Add($"{Fmt.Ms(m.LatencyP50)}/{Fmt.Ms(m.LatencyP95)}");
            cells.Add(Fmt.Num(m.TokensPerCase, "0"));
            cells.Add(Fmt.Cost(m.TotalCost));
            cells.Add(Fmt.Cost(m.CostPerCorrect));
            table.AddRow([.. cells]);
        }

        console.Write(table);
        if (stats.Pairs.Count > 0)
        {
            var pairs = new Table().Border(TableBorder.Rounded).Title("[bold]Paired comparison (McNemar)[/]");
            pairs.AddColumn("A");
            pairs.AddColumn("B");
            pairs.AddColumn(new TableColumn("Cases").RightAligned());
            pairs.AddColumn(new TableColumn("Only A").RightAligned());
            pairs.AddColumn(new TableColumn("Only B").RightAligned());
            pairs.AddColumn(new TableColumn("p exact").RightAligned());
            pairs.AddColumn(new TableColumn("p χ²").RightAligned());
            pairs.AddColumn("Verdict");
            foreach (var p in stats.Pairs)
            {
                var verdict = !p.Significant
                    ? "[grey]not significant[/]"
                    : $"[green]{Markup.Escape(p.OnlyA > p.OnlyB ? p.ModelA : p.ModelB)} better[/]";
                pairs.AddRow(Markup.Escape(p.ModelA), Markup.Escape(p.ModelB), Fmt.Int(p.Cases), Fmt.Int(p.OnlyA), Fmt.Int(p.OnlyB), Fmt.P(p.ExactPValue), Fmt.P(p.ChiSquarePValue), verdict);
            }

            console.Write(pairs);
        }

        var cachedNote = run.UpstreamRequests == 0 ? " [yellow](all from cache)[/]" : string.Empty;
        console.MarkupLine($"[grey]{Fmt.Int(run.CaseCount)} cases × {run.Models.Count} models × {run.Repeat} · {Fmt.Num(run.WallMs / 1000, "0.00")} s · {Fmt.Int(run.UpstreamRequests)} upstream requests{cachedNote} · harness CPU {Fmt.Num(run.CpuMs / Math.Max(1, run.CaseCount * run.Models.Count * run.Repeat), "0.00")} ms/case · suite {run.SuiteHash[..Math.Min(12, run.SuiteHash.Length)]}{(run.PolicyVersion is null ? string.Empty : " · policy " + Markup.Escape(run.PolicyVersion))}[/]");
    }

    /// <summary>Prints the list of runs.</summary>
    public static void WriteRunList(IAnsiConsole console, IReadOnlyList<EvalRunInfo> runs)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(runs);
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var c in (ReadOnlySpan<string>)["Run", "Suite", "Started (UTC)", "Models", "Cases", "Repeat", "Status", "Wall s", "Upstream"])
        {
            table.AddColumn(c);
        }

        foreach (var r in runs)
        {
            table.AddRow(
                $"[aqua]{r.RunId}[/]",
                Markup.Escape(r.SuiteName),
                r.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                Markup.Escape(string.Join(", ", r.Models)),
                Fmt.Int(r.CaseCount),
                Fmt.Int(r.Repeat),
                r.Status == "completed" ? "[green]completed[/]" : $"[yellow]{Markup.Escape(r.Status)}[/]",
                Fmt.Num(r.WallMs / 1000, "0.00"),
                Fmt.Int(r.UpstreamRequests));
        }

        console.Write(table);
    }

    /// <summary>Prints a comparison of two runs: per-model deltas, then the changed cases.</summary>
    public static void WriteComparison(IAnsiConsole console, RunComparisonExport cmp, int maxCases = 40)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(cmp);
        if (!cmp.SameSuite)
        {
            console.MarkupLine("[yellow]warning: the two runs used different suite versions (suite hash differs); cases are matched by id[/]");
        }

        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{cmp.RunA}[/] → [bold]{cmp.RunB}[/]");
        foreach (var c in (ReadOnlySpan<string>)["Model", "Cases", "Accuracy A", "Accuracy B", "Δ", "Regressions", "Improvements", "p (exact)"])
        {
            table.AddColumn(c);
        }

        foreach (var m in cmp.Models)
        {
            var colour = m.Delta < 0 ? "red" : m.Delta > 0 ? "green" : "grey";
            table.AddRow(Markup.Escape(m.Model), Fmt.Int(m.Cases), Fmt.Pct(m.AccuracyA), Fmt.Pct(m.AccuracyB), $"[{colour}]{(m.Delta >= 0 ? "+" : string.Empty)}{Fmt.Num(m.Delta * 100, "0.0")} pt[/]", $"[red]{m.Regressions}[/]", $"[green]{m.Improvements}[/]", Fmt.P(m.PValue));
        }

        console.Write(table);
        WriteChanges(console, "Regressions (passed in A, failed in B)", "red", cmp.Regressions, maxCases);
        WriteChanges(console, "Improvements (failed in A, passed in B)", "green", cmp.Improvements, maxCases);
    }

    private static void WriteChanges(IAnsiConsole console, string title, string colour, IReadOnlyList<CaseChange> changes, int max)
    {
        if (changes.Count == 0)
        {
            return;
        }

        var table = new Table().Border(TableBorder.Simple).Title($"[{colour}]{title}: {changes.Count}[/]");
        foreach (var c in (ReadOnlySpan<string>)["Model", "Case", "Expected", "Output A", "Output B"])
        {
            table.AddColumn(c);
        }

        for (var i = 0; i < changes.Count && i < max; i++)
        {
            var c = changes[i];
            table.AddRow(Markup.Escape(c.Model), Markup.Escape(c.CaseId), Markup.Escape(Clip(c.Expected)), Markup.Escape(Clip(c.OutputA)), Markup.Escape(Clip(c.OutputB)));
        }

        console.Write(table);
        if (changes.Count > max)
        {
            console.MarkupLine($"[grey]… {changes.Count - max} more (use --json for all)[/]");
        }
    }

    internal static string Clip(string? s, int max = 60)
    {
        if (s is null)
        {
            return "—";
        }

        s = s.ReplaceLineEndings(" ");
        return s.Length <= max ? s : s[..(max - 1)] + "…";
    }

    private static double Mean(IReadOnlyList<double> values)
    {
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += v;
        }

        return values.Count == 0 ? double.NaN : sum / values.Count;
    }
}

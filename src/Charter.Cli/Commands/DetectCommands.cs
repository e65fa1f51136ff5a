// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Charter.Detection;
using Spectre.Console;

namespace Charter.Cli.Commands;

/// <summary>`charter detect …`: harvesting / distillation detection.</summary>
internal static class DetectCommands
{
    public static Command Create()
    {
        var log = new Argument<string>("log") { Description = "Request log (JSON Lines, .jsonl or .jsonl.gz)" };
        var labels = new Option<string?>("--labels") { Description = "Labels file (JSON Lines: key, team, label, scenario)" };
        var json = new Option<bool>("--json") { Description = "Print machine-readable JSON" };
        var backtest = new Command("backtest", "Replay a request log through the detector in timestamp order") { log, labels, json };
        backtest.SetAction((ParseResult pr) => Backtest(pr.GetValue(log)!, pr.GetValue(labels), pr.GetValue(json), Console.Out, Console.Error));
        return new Command("detect", "Output harvesting / distillation detection") { backtest, FindingsCommand.Create() };
    }

    internal static int Backtest(string logPath, string? labelsPath, bool json, TextWriter stdout, TextWriter stderr)
    {
        if (!File.Exists(logPath))
        {
            stderr.WriteLine($"error: log file not found: {logPath}");
            return 2;
        }

        if (labelsPath is not null && !File.Exists(labelsPath))
        {
            stderr.WriteLine($"error: labels file not found: {labelsPath}");
            return 2;
        }

        var total = Stopwatch.StartNew();
        int malformed = 0;
        List<DetectionRecord> records;
        try
        {
            records = new List<DetectionRecord>(DetectionRecordParser.ReadFile(logPath, _ => malformed++));
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: cannot read {logPath}: {e.Message}");
            return 1;
        }

        var labelErrors = new List<string>();
        var labelList = labelsPath is null ? null : DetectionLabel.ReadFile(labelsPath, labelErrors);
        foreach (var e in labelErrors)
        {
            stderr.WriteLine($"warning: labels {e}");
        }

        var report = DetectionBacktest.Run(records, labelList);
        total.Stop();
        if (malformed > 0)
        {
            stderr.WriteLine($"warning: {malformed} malformed line(s) skipped");
        }

        stderr.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{report.Records} records; engine {report.RecordsPerSecond:F0} records/s (wall), {report.RecordsPerCpuSecond:F0} records/s (CPU); end to end (parse, sort, detect) {report.Records / Math.Max(1e-9, total.Elapsed.TotalSeconds):F0} records/s"));

        if (json)
        {
            using var stream = new MemoryStream();
            using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
            {
                DetectionBacktest.WriteJson(w, report);
            }

            stdout.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
            return 0;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stdout) });
        if (Console.IsOutputRedirected || !ReferenceEquals(stdout, Console.Out))
        {
            console.Profile.Width = 160;
        }

        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumns("key", "team", "verdict", "risk", "requests", "until flagged", "first flagged", "top signals");
        foreach (var k in report.Keys)
        {
            table.AddRow(
                Markup.Escape(k.Id),
                Markup.Escape(k.Team),
                k.Verdict == "extraction" ? "[red]extraction[/]" : "[green]benign[/]",
                k.PeakRisk.ToString("F2", CultureInfo.InvariantCulture),
                k.Requests.ToString(CultureInfo.InvariantCulture),
                k.RequestsUntilFlagged?.ToString(CultureInfo.InvariantCulture) ?? "-",
                k.FirstFlaggedAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "-",
                Markup.Escape(string.Join(", ", k.TopSignals.Take(3))));
        }

        console.Write(table);
        if (report.Metrics is { } m)
        {
            console.MarkupLine(string.Create(
                CultureInfo.InvariantCulture,
                $"precision [bold]{m.Precision:F3}[/]  recall [bold]{m.Recall:F3}[/]  false-positive rate [bold]{m.FalsePositiveRate:F3}[/]  median requests until flagged [bold]{m.MedianRequestsUntilFlagged?.ToString("F0", CultureInfo.InvariantCulture) ?? "-"}[/]  (TP {m.TruePositives}, FP {m.FalsePositives}, FN {m.FalseNegatives}, TN {m.TrueNegatives})"));
            if (m.MissedKeys.Count > 0)
            {
                console.MarkupLine("missed: " + Markup.Escape(string.Join(", ", m.MissedKeys)));
            }

            if (m.FalsePositiveKeys.Count > 0)
            {
                console.MarkupLine("false positives: " + Markup.Escape(string.Join(", ", m.FalsePositiveKeys)));
            }
        }

        return 0;
    }
}

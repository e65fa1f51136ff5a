// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Diagnostics;
using System.Text.Json;

namespace Charter.Detection;

/// <summary>Offline replay of a request log through <see cref="DetectionEngine"/>, in timestamp order.</summary>
public static class DetectionBacktest
{
    /// <summary>Sorts the records by timestamp (stable), replays them and scores the key verdicts against labels.</summary>
    public static BacktestReport Run(IEnumerable<DetectionRecord> records, IReadOnlyList<DetectionLabel>? labels = null, DetectionOptions? options = null)
    {
        var list = records as List<DetectionRecord> ?? new List<DetectionRecord>(records);
        var order = new (long Ts, int Index)[list.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = (list[i].TimestampMs, i);
        }

        Array.Sort(order);
        var engine = new DetectionEngine(options);
        var findings = new List<DetectionFinding>();
        var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        foreach (var (_, index) in order)
        {
            if (engine.Observe(list[index]))
            {
                findings.AddRange(engine.TakeFindings());
            }
        }

        sw.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuStart;
        var keys = new List<SubjectRisk>();
        var teams = new List<SubjectRisk>();
        foreach (var s in engine.Snapshot())
        {
            (s.Subject == DetectionSubjectKind.Key ? keys : teams).Add(s);
        }

        keys.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        teams.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return new BacktestReport(keys, teams, findings, list.Count, sw.Elapsed, cpu, labels is null ? null : Score(keys, labels));
    }

    /// <summary>Precision, recall, false-positive rate and median requests until flagged over labelled keys.</summary>
    public static BacktestMetrics Score(IReadOnlyList<SubjectRisk> keys, IReadOnlyList<DetectionLabel> labels)
    {
        var byKey = new Dictionary<string, SubjectRisk>(StringComparer.Ordinal);
        foreach (var k in keys)
        {
            byKey[k.Id] = k;
        }

        int tp = 0, fp = 0, fn = 0, tn = 0;
        var untilFlagged = new List<long>();
        var missed = new List<string>();
        var falsePositives = new List<string>();
        foreach (var label in labels)
        {
            bool flagged = byKey.TryGetValue(label.Key, out var k) && k.Verdict == "extraction";
            if (label.IsExtraction)
            {
                if (flagged)
                {
                    tp++;
                    untilFlagged.Add(k!.RequestsUntilFlagged ?? 0);
                }
                else
                {
                    fn++;
                    missed.Add(label.Key);
                }
            }
            else if (flagged)
            {
                fp++;
                falsePositives.Add(label.Key);
            }
            else
            {
                tn++;
            }
        }

        untilFlagged.Sort();
        double? median = untilFlagged.Count == 0 ? null
            : untilFlagged.Count % 2 == 1 ? untilFlagged[untilFlagged.Count / 2]
            : (untilFlagged[(untilFlagged.Count / 2) - 1] + untilFlagged[untilFlagged.Count / 2]) / 2.0;
        return new BacktestMetrics(
            tp,
            fp,
            fn,
            tn,
            tp + fp == 0 ? 1 : (double)tp / (tp + fp),
            tp + fn == 0 ? 1 : (double)tp / (tp + fn),
            fp + tn == 0 ? 0 : (double)fp / (fp + tn),
            median,
            missed,
            falsePositives);
    }

    /// <summary>Writes <c>{"keys":[…],"teams":[…],"metrics":{…}}</c> (the backtest's --json form).</summary>
    public static void WriteJson(Utf8JsonWriter w, BacktestReport report)
    {
        w.WriteStartObject();
        w.WriteStartArray("keys");
        foreach (var k in report.Keys)
        {
            WriteSubject(w, k);
        }

        w.WriteEndArray();
        w.WriteStartArray("teams");
        foreach (var t in report.Teams)
        {
            WriteSubject(w, t);
        }

        w.WriteEndArray();
        w.WriteStartObject("metrics");
        w.WriteNumber("records", report.Records);
        w.WriteNumber("keys", report.Keys.Count);
        int flagged = 0;
        foreach (var k in report.Keys)
        {
            flagged += k.Verdict == "extraction" ? 1 : 0;
        }

        w.WriteNumber("flagged_keys", flagged);
        w.WriteNumber("records_per_second", Math.Round(report.RecordsPerSecond));
        w.WriteNumber("records_per_cpu_second", Math.Round(report.RecordsPerCpuSecond));
        if (report.Metrics is { } m)
        {
            w.WriteNumber("true_positives", m.TruePositives);
            w.WriteNumber("false_positives", m.FalsePositives);
            w.WriteNumber("false_negatives", m.FalseNegatives);
            w.WriteNumber("true_negatives", m.TrueNegatives);
            w.WriteNumber("precision", Math.Round(m.Precision, 4));
            w.WriteNumber("recall", Math.Round(m.Recall, 4));
            w.WriteNumber("false_positive_rate", Math.Round(m.FalsePositiveRate, 4));
            if (m.MedianRequestsUntilFlagged is double med)
            {
                w.WriteNumber("median_requests_until_flagged", med);
            }
            else
            {
                w.WriteNull("median_requests_until_flagged");
            }

            w.WriteStartArray("missed_keys");
            foreach (var s in m.MissedKeys)
            {
                w.WriteStringValue(s);
            }

            w.WriteEndArray();
            w.WriteStartArray("false_positive_keys");
            foreach (var s in m.FalsePositiveKeys)
            {
                w.WriteStringValue(s);
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteSubject(Utf8JsonWriter w, SubjectRisk k)
    {
        w.WriteStartObject();
        w.WriteString(k.Subject == DetectionSubjectKind.Key ? "key" : "team", k.Id);
        if (k.Subject == DetectionSubjectKind.Key)
        {
            w.WriteString("team", k.Team);
        }

        w.WriteString("verdict", k.Verdict);
        w.WriteNumber("risk", k.PeakRisk);
        w.WriteNumber("current_risk", k.Risk);
        if (k.FirstFlaggedAt is { } f)
        {
            w.WriteString("first_flagged_at", f.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            w.WriteNull("first_flagged_at");
        }

        if (k.RequestsUntilFlagged is long r)
        {
            w.WriteNumber("requests_until_flagged", r);
        }
        else
        {
            w.WriteNull("requests_until_flagged");
        }

        w.WriteNumber("requests", k.Requests);
        w.WriteString("action", k.Action.ToString().ToLowerInvariant());
        w.WriteStartObject("signals");
        foreach (var (name, value) in k.Signals)
        {
            w.WriteNumber(name, value);
        }

        w.WriteEndObject();
        w.WriteStartArray("top_signals");
        foreach (var s in k.TopSignals)
        {
            w.WriteStringValue(s);
        }

        w.WriteEndArray();
        w.WriteStartArray("sample_request_ids");
        foreach (var s in k.SampleRequestIds)
        {
            w.WriteStringValue(s);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}

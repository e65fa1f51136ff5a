// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Charter.Detection;

namespace Charter.Tests.Detection;

public sealed class DevSetBacktestTests
{
    [Fact]
    public void Run_DevSet_MeetsRecallFalsePositiveAndSpeedOfDetectionTargets()
    {
        var (records, labels) = DevTraffic.Get();
        var report = DetectionBacktest.Run(records, labels);
        var m = report.Metrics!;
        Assert.Empty(m.FalsePositiveKeys);
        Assert.True(m.Recall >= 0.95, $"recall {m.Recall}; missed {string.Join(", ", m.MissedKeys)}");
        Assert.NotNull(m.MedianRequestsUntilFlagged);
        Assert.True(m.MedianRequestsUntilFlagged < 300, $"median {m.MedianRequestsUntilFlagged}");
        Assert.Equal(58, report.Keys.Count);
    }

    [Fact]
    public void WriteJson_DevSet_HasTheDocumentedShape()
    {
        var (records, labels) = DevTraffic.Get();
        var report = DetectionBacktest.Run(records.Take(5000), labels);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            DetectionBacktest.WriteJson(w, report);
        }

        using var doc = JsonDocument.Parse(stream.ToArray());
        var keys = doc.RootElement.GetProperty("keys");
        Assert.True(keys.GetArrayLength() > 0);
        foreach (var k in keys.EnumerateArray())
        {
            Assert.Equal(JsonValueKind.String, k.GetProperty("key").ValueKind);
            Assert.Equal(JsonValueKind.String, k.GetProperty("team").ValueKind);
            Assert.Contains(k.GetProperty("verdict").GetString(), new[] { "extraction", "benign" });
            Assert.Equal(JsonValueKind.Number, k.GetProperty("risk").ValueKind);
            Assert.True(k.TryGetProperty("first_flagged_at", out _));
            Assert.True(k.TryGetProperty("requests_until_flagged", out _));
            Assert.Equal(DetectionSignals.Count, k.GetProperty("signals").EnumerateObject().Count());
        }

        var metrics = doc.RootElement.GetProperty("metrics");
        foreach (var name in new[] { "precision", "recall", "false_positive_rate", "median_requests_until_flagged" })
        {
            Assert.True(metrics.TryGetProperty(name, out _), name);
        }
    }
}

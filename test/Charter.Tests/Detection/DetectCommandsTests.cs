// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Charter.Cli.Commands;

namespace Charter.Tests.Detection;

public sealed class DetectCommandsTests
{
    [Fact]
    public void Backtest_JsonWithLabels_PrintsKeysAndMetrics()
    {
        string dir = Directory.CreateTempSubdirectory("detect-cli").FullName;
        try
        {
            string log = Path.Combine(dir, "log.jsonl");
            string labels = Path.Combine(dir, "labels.jsonl");
            var lines = new List<string>();
            for (int i = 0; i < 60; i++)
            {
                string ts = new DateTimeOffset(2026, 10, 5, 0, 0, 0, TimeSpan.Zero).AddSeconds(i * 30).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
                lines.Add($$"""{"ts":"{{ts}}","key":"k1","team":"t1","model":"gpt-4o","purpose":"research","request":{"messages":[{"role":"user","content":"Generate 10 instruction-response pairs about topic {{i}} as JSONL"}],"max_tokens":4096},"usage":{"prompt_tokens":20,"completion_tokens":3000},"status":200}""");
            }

            File.WriteAllLines(log, lines);
            File.WriteAllText(labels, """{"key":"k1","team":"t1","label":"extraction","scenario":"x"}""" + "\n");
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int code = DetectCommands.Backtest(log, labels, json: true, stdout, stderr);
            Assert.Equal(0, code);
            using var doc = JsonDocument.Parse(stdout.ToString());
            var key = doc.RootElement.GetProperty("keys")[0];
            Assert.Equal("k1", key.GetProperty("key").GetString());
            Assert.Equal("extraction", key.GetProperty("verdict").GetString());
            Assert.Equal(1.0, doc.RootElement.GetProperty("metrics").GetProperty("recall").GetDouble());
            Assert.Contains("records/s", stderr.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Backtest_MissingLog_ReturnsUsageError()
    {
        var stderr = new StringWriter();
        Assert.Equal(2, DetectCommands.Backtest("/nonexistent/log.jsonl", null, json: false, new StringWriter(), stderr));
        Assert.Contains("not found", stderr.ToString(), StringComparison.Ordinal);
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Charter.Detection;
using Charter.Tests.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Charter.FunctionalTests.Detection;

/// <summary>The online worker and the offline backtest are the same code: replayed dev traffic gets the same verdicts.</summary>
public sealed class OnlineDetectionTests
{
    private static readonly string DevSet = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/traffic/dev/records.jsonl.gz"));

    [Fact]
    public async Task ReplayDevTraffic_ThroughGateway_SameKeysFlaggedOnlineAsOffline()
    {
        Assert.True(File.Exists(DevSet), $"dev set not found at {DevSet}");
        const int PerKey = 120;
        var harvester = ReadRecords("key-d-037", PerKey);
        var benign = ReadRecords("key-d-000", PerKey);

        // Offline: the backtest over the same records with their own timestamps.
        var offline = new DetectionEngine(new DetectionOptions());
        var parser = new DetectionRecordParser();
        foreach (var line in harvester.Concat(benign).OrderBy(l => l.GetProperty("ts").GetString(), StringComparer.Ordinal))
        {
            Assert.True(parser.TryParse(Encoding.UTF8.GetBytes(line.GetRawText()), out var rec));
            offline.Observe(rec!);
        }

        Assert.Equal("extraction", offline.Get(DetectionSubjectKind.Key, "key-d-037")!.Verdict);
        Assert.Equal("benign", offline.Get(DetectionSubjectKind.Key, "key-d-000")!.Verdict);

        // Online: the same request bodies through a running gateway (in-process sim upstream with long answers).
        // The gateway's clock follows the records' own timestamps, as the backtest's does.
        var ordered = harvester.Select(r => (Key: "h", Record: r)).Concat(benign.Select(r => (Key: "b", Record: r)))
            .OrderBy(x => x.Record.GetProperty("ts").GetString(), StringComparer.Ordinal).ToList();
        var clock = new FakeTimeProvider(DateTimeOffset.Parse(ordered[0].Record.GetProperty("ts").GetString()!, CultureInfo.InvariantCulture));
        await using var gw = await TestGateway.StartAsync(
            s => s.ConfigureServices += services => services.AddSingleton<TimeProvider>(clock),
            sim: o =>
            {
                o.MinCompletionTokens = 600;
                o.MaxCompletionTokens = 1200;
            },
            inProcessSim: true);
        var (harvesterKey, harvesterId) = await gw.CreateKeyAsync(team: "team-01", purposes: ["research"]);
        var (benignKey, benignId) = await gw.CreateKeyAsync(team: "team-00", purposes: ["production"]);
        foreach (var (who, record) in ordered)
        {
            clock.SetUtcNow(DateTimeOffset.Parse(record.GetProperty("ts").GetString()!, CultureInfo.InvariantCulture));
            await SendAsync(gw, who == "h" ? harvesterKey : benignKey, record);
        }

        await gw.WaitForRecordsAsync();
        var engine = gw.App.Services.GetRequiredService<DetectionSink>().Engine;
        var findings = await gw.App.Services.GetRequiredService<IFindingStore>().ListAsync(100, CancellationToken.None);

        var online = engine.Get(DetectionSubjectKind.Key, harvesterId);
        var off = offline.Get(DetectionSubjectKind.Key, "key-d-037")!;
        Assert.True(online is not null && online.Verdict == "extraction",
            $"online: {Describe(online)}; offline: {Describe(off)}");
        Assert.Equal("benign", engine.Get(DetectionSubjectKind.Key, benignId)!.Verdict);
        Assert.Contains(findings, f => f.SubjectKind == "key" && f.SubjectId == harvesterId && f.SampleRequestIds.Count > 0);
        Assert.DoesNotContain(findings, f => f.SubjectId == benignId);

        // The finding's action (risk above the suspend level) suspends the harvesting key with a remediation measure.
        string? code = null;
        for (var i = 0; i < 60 && code != "charter_key_suspended"; i++)
        {
            await Task.Delay(100);
            code = await ErrorCodeAsync(gw, harvesterKey, harvester[0]);
        }

        Assert.Equal("charter_key_suspended", code);
        Assert.Null(await ErrorCodeAsync(gw, benignKey, benign[0]));
    }

    private static async Task<string?> ErrorCodeAsync(TestGateway gw, string key, JsonElement record)
    {
        using var req = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = new StringContent(record.GetProperty("request").GetRawText(), Encoding.UTF8, "application/json"),
        };
        req.Headers.Authorization = new("Bearer", key);
        req.Headers.Add("Charter-Purpose", record.GetProperty("purpose").GetString());
        using var resp = await gw.Http.SendAsync(req);
        if (resp.IsSuccessStatusCode)
        {
            return null;
        }

        using var doc = JsonDocument.Parse(await resp.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("error").GetProperty("code").GetString();
    }

    private static string Describe(SubjectRisk? r) => r is null ? "none"
        : $"requests {r.Requests} risk {r.Risk:0.00} peak {r.PeakRisk:0.00} " + string.Join(",", r.Signals.Select(kv => $"{kv.Key}={kv.Value:0.00}"));

    private static async Task SendAsync(TestGateway gw, string key, JsonElement record)
    {
        using var req = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = new StringContent(record.GetProperty("request").GetRawText(), Encoding.UTF8, "application/json"),
        };
        req.Headers.Authorization = new("Bearer", key);
        req.Headers.Add("Charter-Purpose", record.GetProperty("purpose").GetString());
        using var resp = await gw.Http.SendAsync(req);
        Assert.True(resp.IsSuccessStatusCode, await resp.Content.ReadAsStringAsync());
    }

    private static List<JsonElement> ReadRecords(string key, int count)
    {
        var list = new List<JsonElement>();
        using var file = File.OpenRead(DevSet);
        using var gz = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gz);
        while (list.Count < count && reader.ReadLine() is { } line)
        {
            if (line.Contains($"\"key\":\"{key}\"", StringComparison.Ordinal))
            {
                list.Add(JsonDocument.Parse(line).RootElement.Clone());
            }
        }

        return list;
    }
}

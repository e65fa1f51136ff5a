// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Detection;
using Charter.Eval.Client;
using Charter.Eval.Running;
using Charter.Eval.Statistics;
using Charter.Eval.Storage;
using Charter.Records;
using Charter.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Charter.FunctionalTests.Eval;

/// <summary>The shipped multiple-choice suite run by the harness through a real gateway in front of the simulator.</summary>
public sealed class EvalThroughGatewayTests
{
    [Fact]
    public async Task RunMcSuite_ThroughGateway_IntervalsHoldRecordsCarryRunDetectionBenignRerunCached()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var gw = await EvalGateway.StartAsync();
        var (secret, keyId) = await gw.CreateKeyAsync(purposes: ["evaluation"]);
        using var client = new GatewayClient(new GatewayClientOptions { BaseUrl = gw.BaseUri.ToString(), ApiKey = secret });
        using var store = EvalStore.Open(gw.DatabasePath);
        var runner = new EvalRunner(client, store);
        var options = new EvalRunOptions { Models = [.. EvalGateway.Configured.Keys], Concurrency = 16, GatewayUrl = gw.BaseUri.ToString() };
        var suite = EvalGateway.McSuite();

        var first = await runner.RunAsync(suite, options, null, ct);

        // Every case answered, and each configured accuracy inside the reported 95% interval.
        Assert.Equal(suite.Cases.Count * 3, first.Results.Count);
        Assert.All(first.Results, r => Assert.Null(r.Error));
        var stats = StatisticsCalculator.Compute(first.Run.Models, first.Results);
        Assert.Equal(3, stats.Models.Count);
        foreach (var m in stats.Models)
        {
            var expected = EvalGateway.Configured[m.Model];
            Assert.True(m.Interval.Contains(expected), $"{m.Model}: {m.Accuracy:P1} [{m.Interval.Lower:P1}, {m.Interval.Upper:P1}] should contain {expected:P0}");
        }

        // The gateway recorded every call as evaluation traffic of this run, for this key.
        await gw.WaitForRecordsAsync();
        var records = new List<RequestRecord>();
        await foreach (var r in gw.App.Services.GetRequiredService<IGatewayStore>().ReadRequestsAsync(null, null, ct))
        {
            records.Add(r);
        }

        Assert.Equal(first.Results.Count, records.Count);
        Assert.All(records, r =>
        {
            Assert.Equal("evaluation", r.Purpose);
            Assert.Equal(first.Run.RunId, r.EvalRun);
            Assert.Equal(keyId, r.Key);
            Assert.Equal("allow", r.Decision);
            Assert.Equal(200, r.Status);
        });
        Assert.Equal(EvalGateway.Configured.Keys.Order(StringComparer.Ordinal), records.Select(r => r.Model!).Distinct().Order(StringComparer.Ordinal));

        // Detection: a named run over a fixed case set repeated across models is legitimate evaluation.
        var risk = gw.App.Services.GetRequiredService<DetectionSink>().Engine.Get(DetectionSubjectKind.Key, keyId);
        Assert.NotNull(risk);
        Assert.Equal(records.Count, risk.Requests);
        Assert.True(risk.Verdict == "benign", $"verdict {risk.Verdict}, risk {risk.Risk:0.00}, peak {risk.PeakRisk:0.00}, "
            + string.Join(",", risk.Signals.Select(kv => $"{kv.Key}={kv.Value:0.00}")));

        // A second run is answered from the cache: nothing reaches the simulator (nor the gateway).
        var upstream = gw.Simulator.RequestCount;
        Assert.Equal(records.Count, upstream);
        var second = await runner.RunAsync(suite, options, null, ct);

        Assert.Equal(upstream, gw.Simulator.RequestCount);
        Assert.Equal(first.Results.Count, second.CacheHits);
        Assert.Equal(0, second.Run.UpstreamRequests);
        Assert.NotEqual(first.Run.RunId, second.Run.RunId);
        Assert.Equal(first.Results.Count(r => r.Passed), second.Results.Count(r => r.Passed));
        await gw.WaitForRecordsAsync();
        var after = 0;
        await foreach (var unused in gw.App.Services.GetRequiredService<IGatewayStore>().ReadRequestsAsync(null, null, ct))
        {
            after++;
        }

        Assert.Equal(records.Count, after);
    }
}

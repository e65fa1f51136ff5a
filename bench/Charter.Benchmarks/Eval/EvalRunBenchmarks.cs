// Copyright (c) Charter contributors. Licensed under the MIT License.

using BenchmarkDotNet.Attributes;
using Charter.Eval.Client;
using Charter.Eval.Running;
using Charter.Eval.Storage;
using Charter.Eval.Suites;
using Charter.Sim;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Charter.Benchmarks.Eval;

/// <summary>Issue 7's speed target: 300 cases × 3 models against the simulator with 50 ms latency at concurrency 16
/// (ideal 900 / 16 × 50 ms ≈ 2.8 s), results written to SQLite, cache off.</summary>
/// <remarks>Run briefly: <c>--filter '*EvalRun*' --job short --inProcess</c>. The simulator runs in this process too, so the allocation column includes its share;
/// <c>eval-speed.sh</c> measures the CLI in its own process (wall time and CPU per case).</remarks>
[MemoryDiagnoser]
public class EvalRunBenchmarks
{
    private WebApplication _sim = null!;
    private GatewayClient _client = null!;
    private EvalStore _store = null!;
    private EvalSuite _suite = null!;
    private string _dbPath = null!;

    [Params(16)]
    public int Concurrency { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _suite = EvalBenchData.LoadMcSuite();
        _sim = SimulatorHost.Build(new SimulatorOptions { TimeToFirstTokenMs = 50 }, "http://127.0.0.1:0");
        _sim.StartAsync().GetAwaiter().GetResult();
        var url = _sim.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _client = new GatewayClient(new GatewayClientOptions { BaseUrl = url, MaxConnections = 64 });
        _dbPath = Path.Combine(Path.GetTempPath(), "charter-eval-bench-" + Guid.NewGuid().ToString("N") + ".db");
        _store = EvalStore.Open(_dbPath);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        _client.Dispose();
        _sim.StopAsync().GetAwaiter().GetResult();
        _sim.DisposeAsync().AsTask().GetAwaiter().GetResult();
        foreach (var f in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(_dbPath) + "*"))
        {
            File.Delete(f);
        }
    }

    [Benchmark]
    public async Task<double> Run300x3()
    {
        var outcome = await new EvalRunner(_client, _store).RunAsync(_suite, new EvalRunOptions { Concurrency = Concurrency, UseCache = false }).ConfigureAwait(false);
        return outcome.Run.WallMs;
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text;
using System.Text.Json;
using Charter.Audit.Signing;
using Charter.Audit.Storage;
using Charter.Audit.Verification;
using Charter.FunctionalTests.Infrastructure;
using Charter.Sim;
using Charter.Storage.Sqlite;
using Charter.Tests.Common;
using Microsoft.Extensions.DependencyInjection;

namespace Charter.FunctionalTests.Durability;

/// <summary>The journal invariant: a request the upstream saw has its record and audit leaf even after kill -9.</summary>
public sealed class CrashRecoveryTests
{
    [Fact]
    public async Task Gateway_KilledWithSigkillMidLoad_EveryForwardedRequestRecoveredExactlyOnce()
    {
        var dir = Path.Combine(Path.GetTempPath(), "charter-crash-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dir);
        var sim = SimulatorHost.Build(new SimulatorOptions { TimeToFirstTokenMs = 5 }, "http://127.0.0.1:0");
        await sim.StartAsync();
        var simulator = sim.Services.GetRequiredService<Simulator>();
        var simUrl = TestGateway.Address(sim);
        var port = GatewayProcess.FreePort();
        var url = $"http://127.0.0.1:{port}";
        try
        {
            using var first = GatewayProcess.Start(dir, url, simUrl);
            await GatewayProcess.WaitHealthyAsync(url);
            var key = await GatewayProcess.CreateKeyAsync(url, "crash");

            // Load with 8 concurrent clients, then SIGKILL the process while requests are in flight.
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            using var stopLoad = new CancellationTokenSource();
            var load = Enumerable.Range(0, 8).Select(_ => LoadAsync(http, url, key, stopLoad.Token)).ToArray();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (simulator.RequestCount < 300 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
            await stopLoad.CancelAsync();
            await Task.WhenAll(load);
            var seen = simulator.SeenRequestIds.ToHashSet();
            Assert.True(seen.Count >= 300, $"the load reached the upstream ({seen.Count} requests)");

            // Restart on the same database and journal: recovery runs before the first request is accepted.
            using var second = GatewayProcess.Start(dir, url, simUrl);
            await GatewayProcess.WaitHealthyAsync(url);
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync();

            var store = new SqliteGatewayStore(Path.Combine(dir, "charter.db"));
            var recorded = new HashSet<string>();
            await foreach (var r in store.ReadRequestsAsync(null, null))
            {
                Assert.True(recorded.Add(r.Id), $"duplicate record {r.Id}");
            }

            var missing = seen.Where(id => !recorded.Contains(id)).ToList();
            Assert.True(missing.Count == 0, $"{missing.Count} forwarded requests have no record, e.g. {missing.FirstOrDefault()}");

            var audit = new SqliteAuditStore(Path.Combine(dir, "charter.db"));
            await audit.EnsureCreatedAsync();
            var size = await audit.GetSizeAsync();
            var requestLeaves = new HashSet<string>();
            await foreach (var leaf in audit.ReadLeavesAsync(0, size))
            {
                using var doc = JsonDocument.Parse(leaf.Data);
                var kind = doc.RootElement.GetProperty("kind").GetString();
                if (kind == "request")
                {
                    Assert.True(requestLeaves.Add(doc.RootElement.GetProperty("id").GetString()!), "duplicate audit leaf");
                }
            }

            Assert.All(seen, id => Assert.Contains(id, requestLeaves));
            var verify = await AuditVerifier.VerifyAsync(audit, AuditKeyFiles.DefaultDirectoryFor(Path.Combine(dir, "charter.db")));
            Assert.True(verify.Ok, verify.Problem);
        }
        finally
        {
            await sim.StopAsync();
            await sim.DisposeAsync();
            GatewayProcess.DeleteDirectory(dir);
        }
    }

    private static async Task LoadAsync(HttpClient http, string url, string key, CancellationToken stop)
    {
        var body = """{"model":"gpt-4o-mini","max_tokens":8,"messages":[{"role":"user","content":"crash test"}]}""";
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var req = new HttpRequestMessage(HttpMethod.Post, url + "/v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                req.Headers.Authorization = new("Bearer", key);
                using var resp = await http.SendAsync(req, stop);
                await resp.Content.ReadAsByteArrayAsync(stop);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
            {
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                await Task.Delay(10, CancellationToken.None);
            }
        }
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Charter.Sim;
using Charter.Tests.Common;

namespace Charter.FunctionalTests.MultiInstance;

/// <summary>Two gateway processes on one PostgreSQL database and one Redis act as one gateway: limits, revocations, spend and
/// one audit log whose elected sequencer can die.</summary>
public sealed class TwoInstanceTests(ITestOutputHelper output)
{
    private const decimal InputPerMillion = 0.15m;
    private const decimal OutputPerMillion = 0.60m;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, StringBuilder> Logs = new();

    [Fact]
    public async Task TwoInstances_PostgresAndRedis_LimitRevocationSpendAndAuditSurviveSequencerKill()
    {
        var redis = Environment.GetEnvironmentVariable("CHARTER_TEST_REDIS");
        if (string.IsNullOrWhiteSpace(redis))
        {
            throw new InvalidOperationException(
                "CHARTER_TEST_REDIS is not set. Start the test servers first: eng/services.sh start && eval \"$(eng/services.sh env)\"");
        }

        await using var database = await PostgresTestDatabase.CreateAsync();
        var dir = Path.Combine(Path.GetTempPath(), "charter-multi-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dir);
        var sim = SimulatorHost.Build(new SimulatorOptions { MinCompletionTokens = 3, MaxCompletionTokens = 30 }, "http://127.0.0.1:0");
        await sim.StartAsync();
        var simUrl = TestGateway.Address(sim);
        var prefix = "charter-test-" + Guid.NewGuid().ToString("N")[..8] + ":";
        var urlA = $"http://127.0.0.1:{FreePort()}";
        var urlB = $"http://127.0.0.1:{FreePort()}";
        Process? a = null, b = null;
        try
        {
            // A first (creates the schema and the audit keys), then B on the same database.
            a = StartGateway(dir, "a", urlA, simUrl, redis, prefix, database.Url);
            await WaitHealthyAsync(urlA, a);
            b = StartGateway(dir, "b", urlB, simUrl, redis, prefix, database.Url);
            await WaitHealthyAsync(urlB, b);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var urls = new[] { urlA, urlB };
            var usages = new List<(int Prompt, int Completion)>();

            // 1. A 60 requests/minute key limit holds across both instances: 100 quick requests, alternating.
            var (key, _) = await CreateKeyAsync(http, urlA, "team-multi");
            var admitted = 0;
            var limited = 0;
            for (var i = 0; i < 100; i++)
            {
                var (status, usage, retryAfter) = await ChatAsync(http, urls[i % 2], key, i);
                if (status == HttpStatusCode.OK)
                {
                    admitted++;
                    usages.Add(usage!.Value);
                }
                else
                {
                    Assert.Equal(HttpStatusCode.TooManyRequests, status);
                    Assert.NotNull(retryAfter);
                    limited++;
                }
            }

            output.WriteLine($"60 rpm key limit, 100 requests alternating A/B: {admitted} admitted, {limited} limited");
            Assert.Equal(60, admitted);
            Assert.Equal(40, limited);

            // 2. A key revoked through A is refused by B within one second (B had it cached).
            var (key2, key2Id) = await CreateKeyAsync(http, urlA, "team-multi");
            var (warm, warmUsage, _) = await ChatAsync(http, urlB, key2, 1000);
            Assert.Equal(HttpStatusCode.OK, warm);
            usages.Add(warmUsage!.Value);
            using (var revoke = new HttpRequestMessage(HttpMethod.Delete, $"{urlA}/admin/v1/keys/{key2Id}"))
            {
                revoke.Headers.Authorization = new("Bearer", TestGateway.AdminKey);
                using var resp = await http.SendAsync(revoke);
                Assert.True(resp.IsSuccessStatusCode, await resp.Content.ReadAsStringAsync());
            }

            var revokedAt = Stopwatch.StartNew();
            HttpStatusCode last = HttpStatusCode.OK;
            while (revokedAt.Elapsed < TimeSpan.FromSeconds(1))
            {
                var (status, usage, _) = await ChatAsync(http, urlB, key2, 2000);
                last = status;
                if (status == HttpStatusCode.OK)
                {
                    usages.Add(usage!.Value);
                    await Task.Delay(50);
                    continue;
                }

                break;
            }

            output.WriteLine($"revocation through A refused by B after {revokedAt.ElapsedMilliseconds} ms (status {(int)last})");
            Assert.True(last is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden,
                $"instance B still served the key revoked through A after {revokedAt.ElapsedMilliseconds} ms (last status {(int)last})");

            // 3. Spend adds up to the sum of the upstream usages x price, read through either instance.
            long prompt = 0, completion = 0;
            var cost = 0m;
            foreach (var (p, c) in usages)
            {
                prompt += p;
                completion += c;
                cost += ((p * InputPerMillion) + (c * OutputPerMillion)) / 1_000_000m;
            }

            // A request's record can be integrated a batch before its completion (the usage): wait for both.
            JsonElement total = default;
            for (var attempt = 0; attempt < 200; attempt++)
            {
                total = await UsageTotalAsync(http, attempt % 2 == 0 ? urlA : urlB);
                if (total.GetProperty("requests").GetInt64() >= usages.Count
                    && total.GetProperty("prompt_tokens").GetInt64() >= prompt
                    && total.GetProperty("completion_tokens").GetInt64() >= completion)
                {
                    break;
                }

                await Task.Delay(100);
            }

            Assert.Equal(usages.Count, total.GetProperty("requests").GetInt64());
            Assert.Equal(prompt, total.GetProperty("prompt_tokens").GetInt64());
            Assert.Equal(completion, total.GetProperty("completion_tokens").GetInt64());
            Assert.Equal(cost, total.GetProperty("cost_usd").GetDecimal());
            Assert.True(cost > 0m);
            output.WriteLine($"spend: {usages.Count} requests, {prompt}+{completion} tokens, {cost} USD (usage API equal)");

            // 3b. A Responses conversation begun on A continues on B, and its stored response is read through B: B finds whose
            // response it is in the shared records (not in its own memory); another team's key is refused there.
            var (chatKey, _) = await CreateKeyAsync(http, urlA, "team-chat");
            var (otherKey, _) = await CreateKeyAsync(http, urlA, "team-other");
            var (firstStatus, first) = await SendJsonAsync(http, HttpMethod.Post, urlA + "/v1/responses", chatKey, """{"model":"gpt-4o-mini","input":"Name a river."}""");
            Assert.Equal(HttpStatusCode.OK, firstStatus);
            var firstId = first.GetProperty("id").GetString()!;
            for (var attempt = 0; attempt < 100 && !(await RecentRequestsAsync(http, urlB)).Contains(firstId, StringComparison.Ordinal); attempt++)
            {
                await Task.Delay(50); // until A's batch with the response's record is in the database
            }

            var next = $$"""{"model":"gpt-4o-mini","input":"And its source?","previous_response_id":"{{firstId}}"}""";
            var (nextStatus, nextBody) = await SendJsonAsync(http, HttpMethod.Post, urlB + "/v1/responses", chatKey, next);
            Assert.True(nextStatus == HttpStatusCode.OK, nextBody.ToString());
            Assert.Equal(firstId, nextBody.GetProperty("previous_response_id").GetString());
            var (stolenStatus, stolen) = await SendJsonAsync(http, HttpMethod.Post, urlB + "/v1/responses", otherKey, next);
            Assert.Equal(HttpStatusCode.BadRequest, stolenStatus);
            Assert.Equal("previous_response_not_found", stolen.GetProperty("error").GetProperty("code").GetString());
            var (getStatus, fetched) = await SendJsonAsync(http, HttpMethod.Get, urlB + "/v1/responses/" + firstId, chatKey, null);
            Assert.Equal(HttpStatusCode.OK, getStatus);
            Assert.Equal(firstId, fetched.GetProperty("id").GetString());
            output.WriteLine($"responses: {firstId} made on A, continued and read on B, refused to another team");

            // 4. One audit log: exactly one instance is the sequencer; kill -9 it mid-traffic, the other takes over, the log
            // verifies, and once the killed instance is back (its journal replays) every request record has its leaves once.
            var (key3, _) = await CreateKeyAsync(http, urlA, "team-audit");
            var statusA = await AuditStatusAsync(http, urlA);
            var statusB = await AuditStatusAsync(http, urlB);
            Assert.Equal("elected", statusA.GetProperty("mode").GetString());
            Assert.True(statusA.GetProperty("sequencer").GetBoolean() ^ statusB.GetProperty("sequencer").GetBoolean(), $"A: {statusA}, B: {statusB}");
            var sequencerIsA = statusA.GetProperty("sequencer").GetBoolean();
            var (killedName, killedUrl, survivorUrl) = sequencerIsA ? ("a", urlA, urlB) : ("b", urlB, urlA);
            var killedPort = new Uri(killedUrl).Port;
            for (var i = 0; i < 20; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await ChatAsync(http, urls[i % 2], key3, 3000 + i)).Status);
            }

            var killed = sequencerIsA ? a : b;
            killed!.Kill();
            await killed.WaitForExitAsync();
            var takeover = Stopwatch.StartNew();
            for (var i = 0; i < 20; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await ChatAsync(http, survivorUrl, key3, 4000 + i)).Status);
            }

            JsonElement survivor = default;
            while (takeover.Elapsed < TimeSpan.FromSeconds(30))
            {
                survivor = await AuditStatusAsync(http, survivorUrl);
                if (survivor.GetProperty("sequencer").GetBoolean())
                {
                    break;
                }

                await Task.Delay(50);
            }

            output.WriteLine($"sequencer {killedName} killed; the other instance was sequencer {takeover.ElapsedMilliseconds} ms later");
            Assert.True(survivor.GetProperty("sequencer").GetBoolean(), $"no takeover within 30 s: {survivor}");
            await WaitAuditSettledAsync(http, survivorUrl);
            await using (var audit = new Charter.Audit.Storage.PostgresAuditStore(database.Url))
            {
                var verified = await Charter.Audit.Verification.AuditVerifier.VerifyAsync(audit, Path.Combine(dir, "audit-keys"));
                Assert.True(verified.Ok, verified.Problem);
                output.WriteLine($"audit verify after takeover: {verified.Entries} entries, {verified.Checkpoints} checkpoints");
            }

            // The killed instance comes back on its own journal: what it had not queued yet is queued now, nothing twice.
            var restarted = StartGateway(dir, killedName, $"http://127.0.0.1:{killedPort}", simUrl, redis, prefix, database.Url);
            if (sequencerIsA)
            {
                a = restarted;
            }
            else
            {
                b = restarted;
            }

            await WaitHealthyAsync(killedUrl, restarted);
            await WaitAuditSettledAsync(http, survivorUrl);
            await using (var audit = new Charter.Audit.Storage.PostgresAuditStore(database.Url))
            {
                var verified = await Charter.Audit.Verification.AuditVerifier.VerifyAsync(audit, Path.Combine(dir, "audit-keys"));
                Assert.True(verified.Ok, verified.Problem);
                var leafIds = new List<string>();
                await foreach (var leaf in audit.ReadLeavesAsync(0, verified.Entries))
                {
                    using var doc = JsonDocument.Parse(leaf.Data);
                    leafIds.Add(doc.RootElement.GetProperty("id").GetString()!);
                }

                Assert.Equal(leafIds.Count, leafIds.Distinct().Count());
                var records = await RequestIdsAsync(database.ConnectionString);
                var missing = records.Where(r => !leafIds.Contains(r)).ToList();
                Assert.True(missing.Count == 0, $"{missing.Count} request records without an audit leaf, e.g. {missing.FirstOrDefault()}");
                Assert.True(records.Count >= usages.Count + 40, $"{records.Count} request records");
                output.WriteLine($"after restart: {records.Count} request records, {leafIds.Count} leaves, no duplicates, verify ok ({verified.Checkpoints} checkpoints)");
            }
        }
        finally
        {
            foreach (var p in new[] { a, b })
            {
                if (p is not null)
                {
                    try
                    {
                        p.Kill(entireProcessTree: true);
                        await p.WaitForExitAsync();
                    }
                    catch (InvalidOperationException)
                    {
                    }

                    p.Dispose();
                }
            }

            await sim.StopAsync();
            await sim.DisposeAsync();
            Infrastructure.GatewayProcess.DeleteDirectory(dir);
        }
    }

    private static async Task<(HttpStatusCode Status, (int, int)? Usage, string? RetryAfter)> ChatAsync(HttpClient http, string url, string key, int i)
    {
        var body = $$"""{"model":"gpt-4o-mini","max_tokens":{{3 + (i % 25)}},"messages":[{"role":"user","content":"multi-instance request {{i}}"}]}""";
        using var req = new HttpRequestMessage(HttpMethod.Post, url + "/v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        req.Headers.Authorization = new("Bearer", key);
        using var resp = await http.SendAsync(req);
        var text = await resp.Content.ReadAsStringAsync();
        var retryAfter = resp.Headers.TryGetValues("retry-after", out var values) ? values.First() : null;
        if (resp.StatusCode != HttpStatusCode.OK)
        {
            return (resp.StatusCode, null, retryAfter);
        }

        using var doc = JsonDocument.Parse(text);
        var u = doc.RootElement.GetProperty("usage");
        return (resp.StatusCode, (u.GetProperty("prompt_tokens").GetInt32(), u.GetProperty("completion_tokens").GetInt32()), retryAfter);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendJsonAsync(HttpClient http, HttpMethod method, string url, string key, string? body)
    {
        using var req = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            req.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        req.Headers.Authorization = new("Bearer", key);
        using var resp = await http.SendAsync(req);
        using var doc = JsonDocument.Parse(await resp.Content.ReadAsStringAsync());
        return (resp.StatusCode, doc.RootElement.Clone());
    }

    private static async Task<string> RecentRequestsAsync(HttpClient http, string url)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, url + "/admin/v1/requests?limit=50");
        req.Headers.Authorization = new("Bearer", TestGateway.AdminKey);
        using var resp = await http.SendAsync(req);
        return await resp.Content.ReadAsStringAsync();
    }

    private static async Task<JsonElement> AuditStatusAsync(HttpClient http, string url)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, url + "/audit/v1/status");
        req.Headers.Authorization = new("Bearer", TestGateway.AdminKey);
        using var resp = await http.SendAsync(req);
        var body = await resp.Content.ReadAsStringAsync();
        Assert.True(resp.IsSuccessStatusCode, body);
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.Clone();
    }

    /// <summary>Waits until nothing is queued and the newest checkpoint covers the whole tree.</summary>
    private static async Task WaitAuditSettledAsync(HttpClient http, string url)
    {
        JsonElement status = default;
        for (var i = 0; i < 300; i++)
        {
            status = await AuditStatusAsync(http, url);
            if (status.GetProperty("queued").GetInt64() == 0 && status.GetProperty("checkpoint_size").ValueKind == JsonValueKind.Number
                && status.GetProperty("checkpoint_size").GetInt64() == status.GetProperty("size").GetInt64())
            {
                // Settled once twice in a row (the pipeline batches every few ms).
                await Task.Delay(300);
                var again = await AuditStatusAsync(http, url);
                if (again.GetProperty("queued").GetInt64() == 0 && again.GetProperty("size").GetInt64() == status.GetProperty("size").GetInt64())
                {
                    return;
                }
            }

            await Task.Delay(100);
        }

        Assert.Fail($"the audit log did not settle: {status}");
    }

    private static async Task<List<string>> RequestIdsAsync(string connectionString)
    {
        await using var c = new Npgsql.NpgsqlConnection(connectionString);
        await c.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("SELECT id FROM requests", c);
        await using var r = await cmd.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await r.ReadAsync())
        {
            ids.Add(r.GetString(0));
        }

        return ids;
    }

    private static async Task<JsonElement> UsageTotalAsync(HttpClient http, string url)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, url + "/admin/v1/usage?group_by=key");
        req.Headers.Authorization = new("Bearer", TestGateway.AdminKey);
        using var resp = await http.SendAsync(req);
        var body = await resp.Content.ReadAsStringAsync();
        Assert.True(resp.IsSuccessStatusCode, body);
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("total").Clone();
    }

    private static Process StartGateway(string dir, string name, string url, string simUrl, string redis, string prefix, string database)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "Charter.Cli.dll");
        var work = Path.Combine(dir, name);
        Directory.CreateDirectory(work);
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { cli, "serve", "--urls", url, "--db", database, "--upstream", simUrl + "/v1", "--redis", redis })
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["CHARTER_ADMIN_KEY"] = TestGateway.AdminKey;
        psi.Environment["CHARTER__Records__JournalDirectory"] = Path.Combine(work, "journal");

        // The audit signing key is a deployment secret every instance that may become the sequencer shares.
        psi.Environment["CHARTER__Charter__Audit__KeyDirectory"] = Path.Combine(dir, "audit-keys");
        psi.Environment["CHARTER__limits__key_defaults__requests_per_minute"] = "60";
        psi.Environment["CHARTER__limits__redis_key_prefix"] = prefix;
        psi.Environment["CHARTER__pricing__models__gpt-4o-mini__input"] = InputPerMillion.ToString(CultureInfo.InvariantCulture);
        psi.Environment["CHARTER__pricing__models__gpt-4o-mini__cached_input"] = InputPerMillion.ToString(CultureInfo.InvariantCulture);
        psi.Environment["CHARTER__pricing__models__gpt-4o-mini__output"] = OutputPerMillion.ToString(CultureInfo.InvariantCulture);
        var p = Process.Start(psi)!;
        var log = new StringBuilder();
        p.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        p.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        Logs[p.Id] = log;
        return p;
    }

    private static async Task WaitHealthyAsync(string url, Process process)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 600 && !process.HasExited; i++)
        {
            try
            {
                if ((await http.GetAsync(url + "/healthz")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"the gateway at {url} did not start: {Logs.GetValueOrDefault(process.Id)}");
    }

    private static async Task<(string Secret, string Id)> CreateKeyAsync(HttpClient http, string url, string team)
    {
        using var req = new HttpRequestMessage(HttpMethod.Post, url + "/admin/v1/keys")
        {
            Content = JsonContent.Create(new Dictionary<string, object> { ["team"] = team, ["purposes"] = new[] { "testing" } }),
        };
        req.Headers.Authorization = new("Bearer", TestGateway.AdminKey);
        using var resp = await http.SendAsync(req);
        var body = await resp.Content.ReadAsStringAsync();
        Assert.True(resp.IsSuccessStatusCode, body);
        using var doc = JsonDocument.Parse(body);
        return (doc.RootElement.GetProperty("key").GetString()!, doc.RootElement.GetProperty("id").GetString()!);
    }

    private static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}

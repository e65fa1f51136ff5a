// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Net;
using System.Text;
using System.Text.Json;
using Charter.Admin;
using Charter.Eval.Client;
using Charter.Eval.Running;
using Charter.Storage;
using Charter.Tests.Common;
using Microsoft.Extensions.DependencyInjection;

namespace Charter.FunctionalTests.Eval;

/// <summary><c>GET /admin/v1/eval/runs</c>: evaluation runs seen by the gateway, per key and team.</summary>
public sealed class EvalRunsApiTests
{
    [Fact]
    public async Task ListRuns_TwoKeysTwoTeams_GroupsByRunAndFiltersByKeyAndTeam()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var gw = await EvalGateway.StartAsync();
        var (secretA, keyA) = await gw.CreateKeyAsync(team: "team-a", purposes: ["evaluation", "testing"]);
        var (secretB, keyB) = await gw.CreateKeyAsync(team: "team-b", purposes: ["evaluation"]);
        var runA = await RunAsync(gw, secretA, ["gpt-4o", "gpt-4o-mini", "llama-3.1-8b-instruct"], 5, ct);
        var runB = await RunAsync(gw, secretB, ["gpt-4o-mini", "gpt-4o"], 4, ct);
        await ChatAsync(gw, secretA, "testing", ct); // not evaluation: no run id, never listed
        await gw.WaitForRecordsAsync();

        var all = await ListAsync(gw, "", ct);
        Assert.Equal([runB, runA], all.Select(r => r.GetProperty("run_id").GetString()));

        var a = Assert.Single(await ListAsync(gw, $"?key={keyA}", ct));
        Assert.Equal(runA, a.GetProperty("run_id").GetString());
        Assert.Equal(keyA, a.GetProperty("key").GetString());
        Assert.StartsWith("team_", a.GetProperty("team").GetString(), StringComparison.Ordinal);
        Assert.Equal(["gpt-4o", "gpt-4o-mini", "llama-3.1-8b-instruct"], Strings(a.GetProperty("models")));
        Assert.Equal(["evaluation"], Strings(a.GetProperty("purposes")));
        Assert.Equal(15, a.GetProperty("requests").GetInt64());
        Assert.Equal(0, a.GetProperty("denied").GetInt64());
        Assert.Equal(0, a.GetProperty("errors").GetInt64());
        Assert.True(a.GetProperty("prompt_tokens").GetInt64() > 0);
        Assert.True(a.GetProperty("completion_tokens").GetInt64() > 0);
        Assert.True(a.GetProperty("first_ts").GetDateTimeOffset() <= a.GetProperty("last_ts").GetDateTimeOffset());

        // team by name or by id; both filters together must both match.
        var b = Assert.Single(await ListAsync(gw, "?team=team-b", ct));
        Assert.Equal(runB, b.GetProperty("run_id").GetString());
        Assert.Equal(8, b.GetProperty("requests").GetInt64());
        Assert.Equal(keyB, b.GetProperty("key").GetString());
        var byTeamId = Assert.Single(await ListAsync(gw, $"?team={b.GetProperty("team").GetString()}", ct));
        Assert.Equal(runB, byTeamId.GetProperty("run_id").GetString());
        Assert.Empty(await ListAsync(gw, $"?key={keyA}&team=team-b", ct));
        Assert.Empty(await ListAsync(gw, "?team=no-such-team", ct));
        Assert.Equal([runB], (await ListAsync(gw, "?limit=1", ct)).Select(r => r.GetProperty("run_id").GetString()));
    }

    [Fact]
    public async Task ListRuns_WithoutAdminKey_Unauthorized()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var gw = await EvalGateway.StartAsync();
        var (secret, _) = await gw.CreateKeyAsync(purposes: ["evaluation"]);

        using var anonymous = await gw.Http.GetAsync("admin/v1/eval/runs", ct);
        using var userKey = new HttpRequestMessage(HttpMethod.Get, "admin/v1/eval/runs");
        userKey.Headers.Authorization = new("Bearer", secret);
        using var withUserKey = await gw.Http.SendAsync(userKey, ct);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withUserKey.StatusCode);
    }

    [Fact]
    public async Task SqliteQuery_SameRunsAsRecordScan()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var gw = await EvalGateway.StartAsync();
        var (secretA, _) = await gw.CreateKeyAsync(team: "team-a", purposes: ["evaluation"]);
        var (secretB, keyB) = await gw.CreateKeyAsync(team: "team-b", purposes: ["evaluation"]);
        await RunAsync(gw, secretA, ["gpt-4o", "llama-3.1-8b-instruct"], 3, ct);
        await RunAsync(gw, secretB, ["gpt-4o-mini"], 6, ct);
        await RunAsync(gw, secretB, ["gpt-4o", "gpt-4o-mini"], 2, ct);
        await gw.WaitForRecordsAsync();

        var sqlite = gw.App.Services.GetRequiredService<IEvalRunQuery>();
        Assert.IsType<Charter.Storage.Sqlite.SqliteEvalRunQuery>(sqlite);
        var scan = new RecordScanEvalRunQuery(gw.App.Services.GetRequiredService<IGatewayStore>());
        foreach (var key in new[] { null, keyB })
        {
            var fromSql = (await sqlite.ListRunsAsync(key, null, 100, ct)).Select(Describe).ToList();
            var fromScan = (await scan.ListRunsAsync(key, null, 100, ct)).Select(Describe).ToList();
            Assert.Equal(key is null ? 3 : 2, fromSql.Count);
            Assert.Equal(fromScan, fromSql);
        }
    }

    private static string Describe(EvalRunSummary s) =>
        $"{s.RunId} {s.Key} {s.Team} [{string.Join(",", s.Models)}] [{string.Join(",", s.Purposes)}] {s.Requests} {s.Denied} {s.Errors} "
        + $"{s.FirstTs:O} {s.LastTs:O} {s.PromptTokens} {s.CompletionTokens} {s.CostNanos}";

    private static async Task<string> RunAsync(TestGateway gw, string secret, string[] models, int limit, CancellationToken ct)
    {
        using var client = new GatewayClient(new GatewayClientOptions { BaseUrl = gw.BaseUri.ToString(), ApiKey = secret });
        var outcome = await new EvalRunner(client, null).RunAsync(EvalGateway.McSuite(), new EvalRunOptions { Models = models, Limit = limit, Concurrency = 4 }, null, ct);
        Assert.All(outcome.Results, r => Assert.Null(r.Error));
        return outcome.Run.RunId;
    }

    private static async Task ChatAsync(TestGateway gw, string secret, string purpose, CancellationToken ct)
    {
        using var req = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = new StringContent("""{"model":"gpt-4o","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        req.Headers.Authorization = new("Bearer", secret);
        req.Headers.Add("Charter-Purpose", purpose);
        using var resp = await gw.Http.SendAsync(req, ct);
        Assert.True(resp.IsSuccessStatusCode, await resp.Content.ReadAsStringAsync(ct));
    }

    private static async Task<List<JsonElement>> ListAsync(TestGateway gw, string query, CancellationToken ct)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, "admin/v1/eval/runs" + query);
        req.Headers.Authorization = new("Bearer", TestGateway.AdminKey);
        using var resp = await gw.Http.SendAsync(req, ct);
        var body = await resp.Content.ReadAsStringAsync(ct);
        Assert.True(resp.IsSuccessStatusCode, body);
        using var doc = JsonDocument.Parse(body);
        return [.. doc.RootElement.GetProperty("data").EnumerateArray().Select(e => e.Clone())];
    }

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];
}

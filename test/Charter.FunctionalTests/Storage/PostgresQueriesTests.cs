// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Charter.Admin;
using Charter.Storage;
using Charter.Storage.Postgres;
using Charter.FunctionalTests.Infrastructure;
using Charter.Tests.Common;
using Charter.UsageReports;
using Microsoft.Extensions.DependencyInjection;

namespace Charter.FunctionalTests.Storage;

/// <summary>Usage reports and evaluation runs on a gateway on PostgreSQL: the admin endpoints and <c>charter usage --db postgres://…</c>.</summary>
public sealed class PostgresQueriesTests
{
    [Fact]
    public async Task UsageAndEvalRuns_GatewayOnPostgres_ApiAndCliReportTheRecordsExactly()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var gw = await TestGateway.StartAsync(settings =>
        {
            settings.Database = database.Url;
            settings.Overrides["Charter:Audit:KeyDirectory"] = Path.Combine(Path.GetDirectoryName(settings.Overrides["Records:JournalDirectory"]!)!, "audit-keys");
            settings.Overrides["pricing:models:gpt-4o-mini:input"] = "0.15";
            settings.Overrides["pricing:models:gpt-4o-mini:cached_input"] = "0.075";
            settings.Overrides["pricing:models:gpt-4o-mini:output"] = "0.60";
        });
        Assert.IsType<PostgresUsageQuery>(gw.App.Services.GetRequiredService<IUsageQuery>());
        Assert.IsType<PostgresEvalRunQuery>(gw.App.Services.GetRequiredService<IEvalRunQuery>());
        var (secret, keyId) = await gw.CreateKeyAsync(purposes: ["testing", "evaluation"]);
        for (var i = 0; i < 5; i++)
        {
            await ChatAsync(gw, secret, i < 3 ? "testing" : "evaluation", i < 3 ? null : "run-pg-1", i, ct);
        }

        await gw.WaitForRecordsAsync();
        long prompt = 0, completion = 0, nanos = 0;
        await foreach (var r in gw.App.Services.GetRequiredService<IGatewayStore>().ReadRequestsAsync(null, null, ct))
        {
            prompt += r.PromptTokens ?? 0;
            completion += r.CompletionTokens ?? 0;
            nanos += r.CostNanos ?? 0;
        }

        using var usage = await GetJsonAsync(gw, "admin/v1/usage?group_by=purpose,key", ct);
        var rows = usage.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal([("evaluation", 2L), ("testing", 3L)], rows.Select(r => (r.GetProperty("purpose").GetString()!, r.GetProperty("requests").GetInt64())));
        Assert.All(rows, r => Assert.Equal(keyId, r.GetProperty("key").GetString()));
        var total = usage.RootElement.GetProperty("total");
        Assert.True(nanos > 0, "the price table gave no cost");
        Assert.Equal((5L, prompt, completion, nanos), (total.GetProperty("requests").GetInt64(), total.GetProperty("prompt_tokens").GetInt64(),
            total.GetProperty("completion_tokens").GetInt64(), total.GetProperty("cost_nanos").GetInt64()));

        using var runs = await GetJsonAsync(gw, "admin/v1/eval/runs", ct);
        var run = Assert.Single(runs.RootElement.GetProperty("data").EnumerateArray());
        Assert.Equal(("run-pg-1", keyId, 2L), (run.GetProperty("run_id").GetString(), run.GetProperty("key").GetString(), run.GetProperty("requests").GetInt64()));

        // The CLI, as a separate process on the same database, prints the same report.
        var (exit, stdout, stderr) = await CliProcess.RunAsync(["usage", "--db", database.Url, "--group-by", "purpose,key", "--json"], ct);
        Assert.True(exit == 0, stderr);
        using var cli = JsonDocument.Parse(stdout);
        Assert.Equal(usage.RootElement.GetProperty("rows").GetRawText(), cli.RootElement.GetProperty("rows").GetRawText());
        Assert.Equal(total.GetRawText(), cli.RootElement.GetProperty("total").GetRawText());
    }

    private static async Task ChatAsync(TestGateway gw, string secret, string purpose, string? run, int i, CancellationToken ct)
    {
        using var req = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = new StringContent($$"""{"model":"gpt-4o-mini","max_tokens":{{3 + i}},"messages":[{"role":"user","content":"usage on postgres {{i}}"}]}""", Encoding.UTF8, "application/json"),
        };
        req.Headers.Authorization = new("Bearer", secret);
        req.Headers.Add("Charter-Purpose", purpose);
        if (run is not null)
        {
            req.Headers.Add("Charter-Eval-Run", run);
        }

        using var resp = await gw.Http.SendAsync(req, ct);
        Assert.True(resp.IsSuccessStatusCode, await resp.Content.ReadAsStringAsync(ct));
    }

    private static async Task<JsonDocument> GetJsonAsync(TestGateway gw, string path, CancellationToken ct)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, path);
        req.Headers.Authorization = new("Bearer", TestGateway.AdminKey);
        using var resp = await gw.Http.SendAsync(req, ct);
        var body = await resp.Content.ReadAsStringAsync(ct);
        Assert.True(resp.IsSuccessStatusCode, $"{(int)resp.StatusCode} {body}");
        return JsonDocument.Parse(body);
    }
}

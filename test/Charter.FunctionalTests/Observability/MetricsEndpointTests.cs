// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.ClientModel;
using System.Globalization;
using System.Net;
using Charter.FunctionalTests.Infrastructure;
using Charter.Storage;
using Charter.Tests.Common;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Chat;

namespace Charter.FunctionalTests.Observability;

/// <summary><c>/metrics</c>: the Prometheus scrape of Charter's meter, against the request records of the same requests.</summary>
/// <remarks>Series are picked by the test's own team id: every gateway in this test process has a meter named
/// <c>Charter</c>, and a MeterProvider listens by name.</remarks>
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Scrape_AfterRequests_CountsAndTokensMatchTheRecords()
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, keyId) = await gw.CreateKeyAsync(team: "metrics-team", purposes: ["testing"]);
        var chat = Sdk.Chat(gw, key);
        for (var i = 0; i < 3; i++)
        {
            await chat.CompleteChatAsync([new UserChatMessage("count me " + i)], new ChatCompletionOptions { MaxOutputTokenCount = 8 },
                TestContext.Current.CancellationToken);
        }

        var refused = await Assert.ThrowsAsync<ClientResultException>(() => Sdk.Chat(gw, key, purpose: "competing-model-development")
            .CompleteChatAsync([new UserChatMessage("no")], cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(403, refused.Status);
        var records = await GatewayRecords.AllAsync(gw);

        var team = records[0].Team!;
        var text = await ScrapeAsync(gw, TestGateway.AdminKey);

        Assert.Equal(3, Sum(text, "charter_requests_total", ("team", team), ("outcome", "ok"), ("status", "200")));
        Assert.Equal(1, Sum(text, "charter_requests_total", ("team", team), ("outcome", "refused"), ("status", "403"), ("code", "charter_purpose_not_granted")));
        Assert.Equal(records.Where(r => r.Status == 200).Sum(r => (long)r.PromptTokens!), Sum(text, "charter_tokens_total", ("team", team), ("type", "prompt")));
        Assert.Equal(records.Where(r => r.Status == 200).Sum(r => (long)r.CompletionTokens!), Sum(text, "charter_tokens_total", ("team", team), ("type", "completion")));
        Assert.True(Sum(text, "charter_request_duration_seconds_count", ("outcome", "ok")) >= 3);
        Assert.Contains("# TYPE charter_request_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE charter_journal_backlog_bytes gauge", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE charter_journal_integrated_total counter", text, StringComparison.Ordinal);
        Assert.DoesNotContain(key, text, StringComparison.Ordinal);
        Assert.DoesNotContain(keyId, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scrape_AfterStreams_TimeToFirstTokenHistogramForStreamsOnly()
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, _) = await gw.CreateKeyAsync(purposes: ["testing"]);
        var model = "ttft-" + Guid.NewGuid().ToString("N")[..8]; // the sim serves any name; the label picks this test's series
        var chat = Sdk.Chat(gw, key, model);
        for (var i = 0; i < 2; i++)
        {
            await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("stream " + i)], new ChatCompletionOptions { MaxOutputTokenCount = 4 },
                TestContext.Current.CancellationToken))
            {
                _ = update;
            }
        }

        await chat.CompleteChatAsync([new UserChatMessage("whole")], new ChatCompletionOptions { MaxOutputTokenCount = 4 }, TestContext.Current.CancellationToken);
        await gw.WaitForRecordsAsync();

        var text = await ScrapeAsync(gw, TestGateway.AdminKey);

        Assert.Contains("# TYPE charter_time_to_first_token_seconds histogram", text, StringComparison.Ordinal);
        Assert.Equal(2, Sum(text, "charter_time_to_first_token_seconds_count", ("model", model)));
        Assert.Equal(3, Sum(text, "charter_request_duration_seconds_count", ("model", model)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("ck-a-user-key-is-not-enough")]
    public async Task Scrape_WithoutAdminOrAuditorKey_401(string? bearer)
    {
        await using var gw = await TestGateway.StartAsync();
        using var req = new HttpRequestMessage(HttpMethod.Get, "metrics");
        if (bearer is not null)
        {
            req.Headers.Authorization = new("Bearer", bearer);
        }

        using var resp = await gw.Http.SendAsync(req, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, resp.StatusCode);
        Assert.Contains("invalid_api_key", await resp.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scrape_KeyNotRequiredByConfiguration_Served()
    {
        await using var gw = await TestGateway.StartAsync(s => s.Overrides["Metrics:RequireKey"] = "false");

        var text = await ScrapeAsync(gw, bearer: null);

        Assert.Contains("# TYPE", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scrape_PrometheusOff_NotFound()
    {
        await using var gw = await TestGateway.StartAsync(s => s.Overrides["Metrics:Prometheus"] = "false");
        using var req = new HttpRequestMessage(HttpMethod.Get, "metrics");
        req.Headers.Authorization = new("Bearer", TestGateway.AdminKey);

        using var resp = await gw.Http.SendAsync(req, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, resp.StatusCode);
    }

    private static async Task<string> ScrapeAsync(TestGateway gw, string? bearer)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, "metrics");
        if (bearer is not null)
        {
            req.Headers.Authorization = new("Bearer", bearer);
        }

        using var resp = await gw.Http.SendAsync(req, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, resp.StatusCode);
        Assert.StartsWith("text/plain", resp.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return await resp.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }

    // Sums the samples of a metric whose labels include all of the given ones (Prometheus text format).
    private static long Sum(string text, string metric, params (string Label, string Value)[] labels)
    {
        long sum = 0;
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith(metric + "{", StringComparison.Ordinal))
            {
                continue;
            }

            var close = line.LastIndexOf('}');
            var set = line[(metric.Length + 1)..close];
            if (labels.All(l => set.Contains($"{l.Label}=\"{l.Value}\"", StringComparison.Ordinal)))
            {
                sum += (long)double.Parse(line[(close + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return sum;
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Diagnostics;
using System.Text.Json;
using Charter.FunctionalTests.Conformance;
using Charter.Tests.Common;

namespace Charter.FunctionalTests.Gateway;

/// <summary>Retries on the one account of a route: after the wait the upstream asked for, or not at all when it asked for
/// more than Charter waits.</summary>
public sealed class RetryTests
{
    [Fact]
    public async Task CompleteChat_Upstream429AskingOneSecond_RetriedOnceAfterTheWait()
    {
        await using var gw = await TestGateway.StartAsync(sim: o =>
        {
            o.RateLimitRate = 1;
            o.RetryAfterSeconds = 1;
        });
        var (key, _) = await gw.CreateKeyAsync();
        var clock = Stopwatch.StartNew();

        var (status, json, headers) = await GatewayWire.PostAsync(gw, "v1/chat/completions", key, GatewayWire.ChatBody());

        Assert.Equal(429, status);
        Assert.Equal(2, gw.Simulator.RequestCount); // the first answer and the one retry (Gateway:Retries 1)
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(950), $"answered after {clock.Elapsed.TotalMilliseconds} ms: the retry did not wait");
        Assert.Equal("1", Assert.Single(headers.GetValues("retry-after")));
        Assert.Empty(OpenApiSpec.Shared.Validate("ErrorResponse", json));
    }

    [Fact]
    public async Task CompleteChat_Upstream429AskingLongerThanCharterWaits_PassedOnAtOnceWithoutRetry()
    {
        await using var gw = await TestGateway.StartAsync(sim: o =>
        {
            o.RateLimitRate = 1;
            o.RetryAfterSeconds = 30;
        });
        var (key, _) = await gw.CreateKeyAsync();

        var (status, json, headers) = await GatewayWire.PostAsync(gw, "v1/chat/completions", key, GatewayWire.ChatBody());

        Assert.Equal(429, status);
        Assert.Equal(1, gw.Simulator.RequestCount);
        Assert.Equal("30", Assert.Single(headers.GetValues("retry-after"))); // the client learns how long to wait
        using var doc = JsonDocument.Parse(json);
        Assert.Equal("rate_limit_exceeded", doc.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task CompleteChat_UpstreamErrorEveryTime_EveryRetryMadeThen502()
    {
        await using var gw = await TestGateway.StartAsync(s =>
        {
            s.Overrides["Gateway:Retries"] = "3";
            s.Overrides["Gateway:RetryBackoffMs"] = "20";
        }, sim: o => o.ErrorRate = 1);
        var (key, _) = await gw.CreateKeyAsync();

        var (status, json, _) = await GatewayWire.PostAsync(gw, "v1/chat/completions", key, GatewayWire.ChatBody());

        Assert.Equal(502, status); // the upstream's own 500, after the last retry as after the first: a bad gateway
        Assert.Equal(4, gw.Simulator.RequestCount);
        Assert.Empty(OpenApiSpec.Shared.Validate("ErrorResponse", json));
    }
}

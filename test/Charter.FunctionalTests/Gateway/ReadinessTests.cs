// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Net;
using System.Text.Json;
using Charter.Records;
using Charter.Tests.Common;
using Microsoft.Extensions.DependencyInjection;

namespace Charter.FunctionalTests.Gateway;

/// <summary><c>/readyz</c> on a running gateway, and once its integrator has stopped (as in a graceful shutdown).</summary>
public sealed class ReadinessTests
{
    [Fact]
    public async Task Readyz_RunningGateway_200Ready()
    {
        await using var gw = await TestGateway.StartAsync();

        using var resp = await gw.Http.GetAsync("readyz", TestContext.Current.CancellationToken);
        using var doc = JsonDocument.Parse(await resp.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.OK, resp.StatusCode);
        Assert.Equal("ready", doc.RootElement.GetProperty("status").GetString());
        Assert.Equal("no-store", resp.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Readyz_IntegratorStopped_503NotReadyWithTheReason()
    {
        await using var gw = await TestGateway.StartAsync();
        await gw.App.Services.GetRequiredService<EventPipeline>().StopAsync(TestContext.Current.CancellationToken);

        using var resp = await gw.Http.GetAsync("readyz", TestContext.Current.CancellationToken);
        using var doc = JsonDocument.Parse(await resp.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, resp.StatusCode);
        Assert.Equal("not_ready", doc.RootElement.GetProperty("status").GetString());
        Assert.Contains(doc.RootElement.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.StartsWith("not integrating", StringComparison.Ordinal));
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text;

namespace Charter.Tests.Sim;

public sealed class SimulatorRequestLogTests
{
    [Fact]
    public async Task RequestIds_RecordedCountedAndServedUntilReset()
    {
        using var client = new SimTestClient();
        foreach (var id in new[] { "r-1", "r-2", "r-2" })
        {
            await client.PostAsync("/v1/chat/completions", SimTestClient.Chat("Hello"), r => r.Headers.Add("X-Charter-Request-Id", id));
        }

        await client.PostAsync("/v1/embeddings", """{"model":"m","input":"x"}""", r => r.Headers.Add("X-Charter-Request-Id", "r-3"));
        await client.PostAsync("/v1/chat/completions", SimTestClient.Chat("Hello"));

        Assert.Equal(["r-1", "r-2", "r-3"], client.Simulator.SeenRequestIds.Order(StringComparer.Ordinal));
        Assert.Equal(5, client.Simulator.RequestCount);
        Assert.Equal(2, client.Simulator.TimesSeen("r-2"));
        var served = await client.GetJsonAsync("/_sim/requests");
        Assert.Equal(5, served.GetProperty("count").GetInt64());
        Assert.Equal(3, served.GetProperty("request_ids").GetArrayLength());

        using var reset = await client.Http.PostAsync("/_sim/reset", new StringContent("", Encoding.UTF8), SimTestClient.Ct);
        Assert.Empty(client.Simulator.SeenRequestIds);
        Assert.Equal(0, client.Simulator.RequestCount);
    }

    [Fact]
    public async Task RequestIds_BeyondMax_CountedAsUnrecordedKnownIdsStillCounted()
    {
        using var client = new SimTestClient(new Charter.Sim.SimulatorOptions { MaxRecordedRequestIds = 2 });
        foreach (var id in new[] { "a", "b", "c", "a" })
        {
            await client.PostAsync("/v1/chat/completions", SimTestClient.Chat("Hello"), r => r.Headers.Add("X-Charter-Request-Id", id));
        }

        Assert.Equal(["a", "b"], client.Simulator.SeenRequestIds.Order(StringComparer.Ordinal));
        Assert.Equal(1, client.Simulator.UnrecordedRequestIds);
        Assert.Equal(2, client.Simulator.TimesSeen("a"));
        Assert.Equal(4, client.Simulator.RequestCount);
    }

    [Fact]
    public async Task RequestIds_RecordedEvenWhenFaulted()
    {
        using var client = new SimTestClient(new Charter.Sim.SimulatorOptions { ErrorRate = 1 });
        await client.PostAsync("/v1/chat/completions", SimTestClient.Chat("Hello"), r => r.Headers.Add("X-Charter-Request-Id", "failed-1"));

        Assert.Contains("failed-1", client.Simulator.SeenRequestIds);
    }

    [Fact]
    public async Task UnknownRoute_404OpenAIShape()
    {
        using var client = new SimTestClient();
        var (status, body, _) = await client.PostAsync("/v1/nope", "{}");

        Assert.Equal(System.Net.HttpStatusCode.NotFound, status);
        Assert.Equal("unknown_url", body.GetProperty("error").GetProperty("code").GetString());
    }
}

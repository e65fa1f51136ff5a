// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Net;
using System.Text;
using System.Text.Json;
using Charter.Sim;

namespace Charter.Tests.Sim;

/// <summary>The moderations route's URL forms (no Azure ones), faults, request log, and the Kestrel host over loopback HTTP.</summary>
public sealed partial class SimulatorModerationsTests
{
    [Theory]
    [InlineData("/openai/v1/moderations")]
    [InlineData("/openai/deployments/mod/moderations?api-version=2024-10-21")]
    public async Task AzureForms_NoModerationsEndpoint_404UnknownUrlNotCounted(string path)
    {
        using var client = new SimTestClient();
        var (status, body, _) = await client.PostAsync(path, """{"input":"x","model":"omni-moderation-latest"}""", r => r.Headers.Add("api-key", "k"));

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("unknown_url", body.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(0, client.Simulator.RequestCount);
    }

    [Fact]
    public async Task Moderations_GetInsteadOfPost_404()
    {
        using var client = new SimTestClient();
        using var response = await client.Http.GetAsync(Path, SimTestClient.Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, client.Simulator.RequestCount);
    }

    [Fact]
    public async Task Moderations_ErrorRateOne_500ServerError()
    {
        using var client = new SimTestClient(new SimulatorOptions { ErrorRate = 1 });
        var (status, body, _) = await client.PostAsync(Path, """{"input":"x"}""");

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("server_error", body.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Moderations_RateLimitRateOne_429WithRetryAfter()
    {
        using var client = new SimTestClient(new SimulatorOptions { RateLimitRate = 1, RetryAfterSeconds = 3 });
        var (status, body, response) = await client.PostAsync(Path, """{"input":"x"}""");

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta);
        Assert.Equal("rate_limit_exceeded", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Moderations_OverloadedRateOne_503WithRetryAfter()
    {
        using var client = new SimTestClient(new SimulatorOptions { OverloadedRate = 1, RetryAfterSeconds = 2 });
        var (status, body, response) = await client.PostAsync(Path, """{"input":"x"}""");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
        Assert.Contains("overloaded", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Moderations_SuspendedAccount_403AccountDeactivatedEvenForAnInvalidBody()
    {
        using var client = new SimTestClient(new SimulatorOptions { SuspendedAccount = true });
        var valid = await client.PostAsync(Path, """{"input":"x"}""");
        var invalid = await client.PostAsync(Path, """{"input":[]}""");

        Assert.Equal(HttpStatusCode.Forbidden, valid.Status);
        Assert.Equal("account_deactivated", valid.Body.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, invalid.Status);
    }

    [Fact]
    public async Task Moderations_DropRateOne_ClientSeesHalfABodyThenAnError()
    {
        using var client = new SimTestClient(new SimulatorOptions { DropRate = 1 });
        using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = Json("""{"input":"x"}""") };

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => client.Http.SendAsync(request, SimTestClient.Ct));
        Assert.True(ex is HttpRequestException or IOException, ex.GetType().Name);
        Assert.Equal(1, client.Simulator.RequestCountFor("openai", "moderations"));
    }

    [Fact]
    public async Task Moderations_StreamErrorRateOne_NoEffectOnAWholeAnswer()
    {
        using var client = new SimTestClient(new SimulatorOptions { StreamErrorRate = 1 });
        var (status, body, _) = await client.PostAsync(Path, """{"input":"x"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        SimSpec.AssertValid(Schema, body);
    }

    [Fact]
    public async Task RequestLog_Moderations_CountedUnderTheirOwnNameWithRequestIds()
    {
        using var client = new SimTestClient();
        var first = await client.PostAsync(Path, """{"input":"x"}""", r => r.Headers.Add("X-Charter-Request-Id", "m-1"));
        await client.PostAsync(Path, """{"input":["a","b"]}""", r => r.Headers.Add("X-Charter-Request-Id", "m-1"));
        await client.PostAsync(Path, """{"input":[]}""", r => r.Headers.Add("X-Charter-Request-Id", "m-2"));
        await client.PostAsync("/v1/embeddings", """{"model":"m","input":"x"}""");
        await client.PostAsync("/v1/chat/completions", SimTestClient.Chat("Hello"));

        Assert.Equal(5, client.Simulator.RequestCount);
        Assert.Equal(3, client.Simulator.RequestCountFor("openai", "moderations"));
        Assert.Equal(1, client.Simulator.RequestCountFor("openai", "embeddings"));
        Assert.Equal(1, client.Simulator.RequestCountFor("openai", "chat_completions"));
        Assert.Equal(0, client.Simulator.RequestCountFor("azure_v1", "moderations"));
        Assert.Equal(2, client.Simulator.TimesSeen("m-1"));
        Assert.Equal(1, client.Simulator.TimesSeen("m-2"));
        Assert.StartsWith("req_", Assert.Single(first.Response.Headers.GetValues("x-request-id")), StringComparison.Ordinal);
        var served = await client.GetJsonAsync("/_sim/requests");
        var routes = served.GetProperty("routes").EnumerateArray()
            .Select(r => (r.GetProperty("flavor").GetString(), r.GetProperty("endpoint").GetString(), r.GetProperty("count").GetInt64()));
        Assert.Contains(("openai", "moderations", 3L), routes);
        Assert.Equal(["m-1", "m-2"], served.GetProperty("request_ids").EnumerateArray().Select(i => i.GetString()).Order(StringComparer.Ordinal));

        using var reset = await client.Http.PostAsync("/_sim/reset", null, SimTestClient.Ct);
        Assert.Equal(0, client.Simulator.RequestCountFor("openai", "moderations"));
    }

    [Fact]
    public async Task RequestLog_FaultedModeration_IdRecordedAndCounted()
    {
        using var client = new SimTestClient(new SimulatorOptions { ErrorRate = 1 });
        await client.PostAsync(Path, """{"input":"x"}""", r => r.Headers.Add("X-Charter-Request-Id", "failed-m"));

        Assert.Contains("failed-m", client.Simulator.SeenRequestIds);
        Assert.Equal(1, client.Simulator.RequestCountFor("openai", "moderations"));
    }

    [Fact]
    public async Task Host_ModerationsOverLoopback_SameResultsAsInProcess()
    {
        await using var host = await SimHost.StartAsync();
        using var inProcess = new SimTestClient();
        const string json = """{"input":["I want to kill them.","fine",[{"type":"text","text":"x"}]]}""";
        const string valid = """{"input":["I want to kill them.","fine"]}""";
        using var response = await host.Http.PostAsync(Path, Json(valid), SimTestClient.Ct);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(SimTestClient.Ct));
        var local = (await inProcess.PostAsync(Path, valid)).Body;
        using var invalid = await host.Http.PostAsync(Path, Json(json), SimTestClient.Ct);
        using var error = JsonDocument.Parse(await invalid.Content.ReadAsStringAsync(SimTestClient.Ct));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.Contains("x-request-id"));
        SimSpec.AssertValid(Schema, doc.RootElement);
        Assert.Equal(local.GetProperty("results").GetRawText(), doc.RootElement.GetProperty("results").GetRawText());
        Assert.NotEqual(local.GetProperty("id").GetString(), doc.RootElement.GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("input[2]", error.RootElement.GetProperty("error").GetProperty("param").GetString());
        Assert.Equal(2, host.Simulator.RequestCountFor("openai", "moderations"));
    }

    [Fact]
    public async Task Host_AzureFormsAndGet_404()
    {
        await using var host = await SimHost.StartAsync();
        using var v1Request = new HttpRequestMessage(HttpMethod.Post, "/openai/v1/moderations") { Content = Json("""{"input":"x"}""") };
        v1Request.Headers.Add("api-key", "k");
        using var v1 = await host.Http.SendAsync(v1Request, SimTestClient.Ct);
        using var classicRequest = new HttpRequestMessage(HttpMethod.Post, "/openai/deployments/mod/moderations?api-version=2024-10-21") { Content = Json("""{"input":"x"}""") };
        classicRequest.Headers.Add("api-key", "k");
        using var classic = await host.Http.SendAsync(classicRequest, SimTestClient.Ct);
        using var get = await host.Http.GetAsync(Path, SimTestClient.Ct);

        Assert.Equal(HttpStatusCode.NotFound, v1.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, classic.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(0, host.Simulator.RequestCount);
    }

    [Fact]
    public async Task Host_DropRateOne_ClientSeesTheFault()
    {
        await using var host = await SimHost.StartAsync();
        host.Simulator.Configure(o => o.DropRate = 1);
        var dropped = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var response = await host.Http.PostAsync(Path, Json("""{"input":"x"}"""), SimTestClient.Ct);
            await response.Content.ReadAsStringAsync(SimTestClient.Ct);
        });

        Assert.True(dropped is HttpRequestException or IOException, dropped.GetType().Name);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}

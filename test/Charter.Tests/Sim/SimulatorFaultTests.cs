// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Net;
using System.Text;
using Charter.Sim;

namespace Charter.Tests.Sim;

public sealed class SimulatorFaultTests
{
    [Fact]
    public async Task RateLimitRateOne_429WithRetryAfter()
    {
        using var client = new SimTestClient(new SimulatorOptions { RateLimitRate = 1, RetryAfterSeconds = 3 });
        var (status, body, response) = await client.PostAsync("/v1/chat/completions", SimTestClient.Chat("Hello"));

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta);
        Assert.Equal("rate_limit_exceeded", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task OverloadedRateOne_503WithRetryAfter()
    {
        using var client = new SimTestClient(new SimulatorOptions { OverloadedRate = 1, RetryAfterSeconds = 2 });
        var (status, body, response) = await client.PostAsync("/v1/chat/completions", SimTestClient.Chat("Hello"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
        Assert.Contains("overloaded", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SuspendedAccount_Every_Request403AccountDeactivated()
    {
        using var client = new SimTestClient(new SimulatorOptions { SuspendedAccount = true });
        var chat = await client.PostAsync("/v1/chat/completions", SimTestClient.Chat("Hello"));
        var embeddings = await client.PostAsync("/v1/embeddings", """{"model":"m","input":"x"}""");
        using var models = await client.Http.GetAsync("/v1/models", SimTestClient.Ct);

        Assert.Equal(HttpStatusCode.Forbidden, chat.Status);
        Assert.Equal(HttpStatusCode.Forbidden, embeddings.Status);
        Assert.Equal(HttpStatusCode.Forbidden, models.StatusCode);
        var error = chat.Body.GetProperty("error");
        Assert.Equal("account_deactivated", error.GetProperty("code").GetString());
        Assert.Contains("suspended", error.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("deactivated", error.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ErrorRateOne_500ServerError()
    {
        using var client = new SimTestClient(new SimulatorOptions { ErrorRate = 1 });
        var (status, body, _) = await client.PostAsync("/v1/chat/completions", SimTestClient.Chat("Hello"));

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("server_error", body.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task ErrorRateHalf_RoughlyHalfFail()
    {
        using var client = new SimTestClient(new SimulatorOptions { ErrorRate = 0.5 });
        var failures = 0;
        for (var i = 0; i < 400; i++)
        {
            var (status, _, _) = await client.PostAsync("/v1/chat/completions", SimTestClient.Chat("Hello"));
            failures += status == HttpStatusCode.InternalServerError ? 1 : 0;
        }

        Assert.InRange(failures, 140, 260);
    }

    [Fact]
    public async Task DropRateOne_NonStream_ClientSeesHttpRequestException()
    {
        using var client = new SimTestClient(new SimulatorOptions { DropRate = 1 });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(SimTestClient.Chat("Hello"), Encoding.UTF8, "application/json") };

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => client.Http.SendAsync(request, SimTestClient.Ct));
        Assert.True(ex is HttpRequestException or IOException, ex.GetType().Name);
    }

    [Fact]
    public async Task DropRateOne_Stream_ReadingThrowsIOExceptionBeforeDone()
    {
        using var client = new SimTestClient(new SimulatorOptions { DropRate = 1 });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(SimTestClient.Chat("Hello", extra: ",\"stream\":true"), Encoding.UTF8, "application/json") };
        using var response = await client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, SimTestClient.Ct);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(SimTestClient.Ct));

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => reader.ReadToEndAsync(SimTestClient.Ct));
        Assert.True(ex is IOException or HttpRequestException, ex.GetType().Name);
    }

    [Fact]
    public async Task StreamErrorRateOne_ErrorEventHalfWayAndNoDone()
    {
        using var client = new SimTestClient(new SimulatorOptions { StreamErrorRate = 1 });
        var events = SimTestClient.Events(await client.StreamAsync(SimTestClient.Chat("Hello", extra: ",\"stream\":true")));

        Assert.DoesNotContain("[DONE]", events);
        using var last = System.Text.Json.JsonDocument.Parse(events[^1]);
        Assert.Equal("server_error", last.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.True(events.Count > 2);
    }

    [Fact]
    public async Task Config_RuntimeChange_AppliesToNextRequestAndResetRestores()
    {
        using var client = new SimTestClient();
        var ok = await client.PostAsync("/v1/chat/completions", SimTestClient.Chat("Hello"));
        var config = await client.PostAsync("/_sim/config", """{"suspended_account":true,"retry_after_seconds":5}""");
        var suspended = await client.PostAsync("/v1/chat/completions", SimTestClient.Chat("Hello"));
        var flipped = await client.PostAsync("/_sim/config", """{"SuspendedAccount":false,"rate_limit_rate":1}""");
        var limited = await client.PostAsync("/v1/chat/completions", SimTestClient.Chat("Hello"));
        using var reset = await client.Http.PostAsync("/_sim/reset", null, SimTestClient.Ct);
        var again = await client.PostAsync("/v1/chat/completions", SimTestClient.Chat("Hello"));

        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.Equal(HttpStatusCode.OK, config.Status);
        Assert.True(config.Body.GetProperty("suspended_account").GetBoolean());
        Assert.Equal(HttpStatusCode.Forbidden, suspended.Status);
        Assert.Equal(HttpStatusCode.OK, flipped.Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Equal(TimeSpan.FromSeconds(5), limited.Response.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(0, client.Simulator.Options.RateLimitRate);
    }

    [Theory]
    [InlineData("""{"error_rate":2}""")]
    [InlineData("""{"no_such_option":1}""")]
    [InlineData("""{"suspended_account":"yes"}""")]
    [InlineData("""not json""")]
    public async Task Config_Invalid_400AndUnchanged(string json)
    {
        using var client = new SimTestClient();
        var (status, body, _) = await client.PostAsync("/_sim/config", json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(body.TryGetProperty("error", out _));
        Assert.Equal(0, client.Simulator.Options.ErrorRate);
        Assert.False(client.Simulator.Options.SuspendedAccount);
    }

    [Fact]
    public void Configure_InvalidValue_ThrowsAndKeepsOptions()
    {
        var sim = new Simulator(new SimulatorOptions());

        Assert.Throws<ArgumentException>(() => sim.Configure(o => o.DropRate = -1));
        sim.Configure(o => o.Accuracy["gpt-4o"] = 0.5);

        Assert.Equal(0, sim.Options.DropRate);
        Assert.Equal(0.5, sim.Options.Accuracy["GPT-4O"]);
    }

    [Fact]
    public void Options_Validate_CollectsEveryError()
    {
        var options = new SimulatorOptions { ErrorRate = 2, DropRate = -0.1, TimeToFirstTokenMs = -1, DefaultAccuracy = 1.5 };

        Assert.Equal(4, options.Validate().Count);
        Assert.Throws<ArgumentException>(() => new Simulator(options));
    }
}

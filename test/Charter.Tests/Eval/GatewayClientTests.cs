// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Net;
using Charter.Eval.Client;
using Charter.Eval.Suites;

namespace Charter.Tests.Eval;

public sealed class GatewayClientTests
{
    private static readonly GatewayClientOptions _fast = new() { BaseUrl = "http://gw.test", ApiKey = "ck-test", BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) };

    private static byte[] Body(string model = "m") => GatewayClient.BuildBody(model, [("user", "Q1")], RequestParameters.Default);

    [Fact]
    public async Task Complete_SendsEvaluationHeaders()
    {
        var handler = new FakeChatHandler((_, _) => "A") { PolicyVersion = "pol-7" };
        using var client = new GatewayClient(_fast, handler);
        var result = await client.CompleteAsync(Body(), "run-1", TestContext.Current.CancellationToken);
        Assert.True(result.Succeeded);
        Assert.Equal("A", result.Output);
        Assert.Equal(20, result.PromptTokens);
        Assert.Equal("pol-7", result.PolicyVersion);
        var request = Assert.Single(handler.Seen);
        Assert.Equal("http://gw.test/v1/chat/completions", request.RequestUri!.ToString());
        Assert.Equal("Bearer ck-test", request.Headers.Authorization!.ToString());
        Assert.Equal("evaluation", Assert.Single(request.Headers.GetValues("Charter-Purpose")));
        Assert.Equal("run-1", Assert.Single(request.Headers.GetValues("Charter-Eval-Run")));
    }

    [Theory]
    [InlineData("http://h:1", "http://h:1/v1/chat/completions")]
    [InlineData("http://h:1/", "http://h:1/v1/chat/completions")]
    [InlineData("http://h:1/v1", "http://h:1/v1/chat/completions")]
    [InlineData("http://h:1/proxy/v1/", "http://h:1/proxy/v1/chat/completions")]
    public void ChatEndpoint_WithOrWithoutV1(string baseUrl, string expected)
    {
        Assert.Equal(expected, GatewayClient.ChatEndpoint(baseUrl).ToString());
    }

    [Fact]
    public async Task Complete_RetriesRateLimitsAndServerErrors()
    {
        var handler = new FakeChatHandler((_, _) => "ok")
        {
            Fault = n => n switch
            {
                1 => FakeChatHandler.RateLimited(),
                2 => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable),
                3 => throw new HttpRequestException("connection reset"),
                _ => null,
            },
        };
        using var client = new GatewayClient(_fast, handler);
        var result = await client.CompleteAsync(Body(), "r", TestContext.Current.CancellationToken);
        Assert.True(result.Succeeded);
        Assert.Equal(4, result.Attempts);
        Assert.Equal(4, handler.Requests);
    }

    [Fact]
    public async Task Complete_PolicyDenial_IsNotRetried()
    {
        var handler = new FakeChatHandler((_, _) => "ok")
        {
            Fault = _ => new HttpResponseMessage(HttpStatusCode.Forbidden)
            {
                Content = new StringContent("{\"error\":{\"message\":\"purpose not allowed\",\"type\":\"permission_error\",\"code\":\"charter_policy_denied\"}}"),
            },
        };
        using var client = new GatewayClient(_fast, handler);
        var result = await client.CompleteAsync(Body(), "r", TestContext.Current.CancellationToken);
        Assert.False(result.Succeeded);
        Assert.Equal(403, result.StatusCode);
        Assert.Contains("charter_policy_denied", result.Error, StringComparison.Ordinal);
        Assert.Equal(1, handler.Requests);
    }

    [Fact]
    public async Task Complete_PersistentServerError_GivesUpAfterMaxAttempts()
    {
        var handler = new FakeChatHandler((_, _) => "ok") { Fault = _ => new HttpResponseMessage(HttpStatusCode.BadGateway) };
        using var client = new GatewayClient(_fast with { MaxAttempts = 3 }, handler);
        var result = await client.CompleteAsync(Body(), "r", TestContext.Current.CancellationToken);
        Assert.False(result.Succeeded);
        Assert.Equal(3, handler.Requests);
        Assert.Equal(502, result.StatusCode);
    }

    [Fact]
    public void RetryAfter_PrefersMillisecondsThenSeconds()
    {
        using var both = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        both.Headers.TryAddWithoutValidation("retry-after-ms", "250");
        both.Headers.TryAddWithoutValidation("retry-after", "3");
        Assert.Equal(TimeSpan.FromMilliseconds(250), GatewayClient.RetryAfter(both));
        using var seconds = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        seconds.Headers.TryAddWithoutValidation("retry-after", "2");
        Assert.Equal(TimeSpan.FromSeconds(2), GatewayClient.RetryAfter(seconds));
        using var none = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        Assert.Null(GatewayClient.RetryAfter(none));
    }

    [Fact]
    public void Backoff_GrowsExponentiallyAndIsCapped()
    {
        using var client = new GatewayClient(new GatewayClientOptions { BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1) }, new FakeChatHandler((_, _) => "x"));
        Assert.InRange(client.Backoff(1, null).TotalMilliseconds, 75, 125);
        Assert.InRange(client.Backoff(3, null).TotalMilliseconds, 300, 500);
        Assert.InRange(client.Backoff(20, null).TotalMilliseconds, 750, 1250);
        Assert.InRange(client.Backoff(1, TimeSpan.FromSeconds(2)).TotalMilliseconds, 2000, 2200);
    }
}

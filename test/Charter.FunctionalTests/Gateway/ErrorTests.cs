// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.ClientModel;
using System.Net;
using System.Text;
using System.Text.Json;
using Charter.FunctionalTests.Infrastructure;
using Charter.Storage;
using Charter.Tests.Common;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Chat;

namespace Charter.FunctionalTests.Gateway;

public sealed class ErrorTests
{
    [Fact]
    public async Task CompleteChat_UnknownKey_SdkThrows401InvalidApiKey()
    {
        await using var gw = await TestGateway.StartAsync();
        var client = Sdk.Chat(gw, "ck-not-a-real-key-000000000000000000000000");

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(401, ex.Status);
        Assert.Contains("invalid_api_key", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, gw.Simulator.RequestCount);
    }

    [Theory]
    [InlineData("{\"model\":\"gpt-4o\",\"messages\":[", "invalid_json", null)]
    [InlineData("[1,2,3]", "invalid_json", null)]
    [InlineData("{\"model\":42,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", "invalid_value", "model")]
    [InlineData("{\"model\":\"gpt-4o\",\"messages\":\"hello\"}", "invalid_value", "messages")]
    [InlineData("{\"model\":\"gpt-4o\"}", "invalid_value", "messages")]
    [InlineData("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"n\":\"two\"}", "invalid_value", "n")]
    [InlineData("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream\":\"yes\"}", "invalid_value", "stream")]
    [InlineData("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":7}", "invalid_value", "temperature")]
    [InlineData("{\"model\":\"gpt-4o\",\"messages\":[{\"content\":\"x\"}]}", "invalid_value", "messages[0].role")]
    [InlineData("{\"model\":\"gpt-4o\",\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", "invalid_value", "model")]
    [InlineData("{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", "invalid_value", "model")]
    public async Task Post_BadBody_400InOpenAiShapeWithParam_NothingForwarded(string body, string code, string? param)
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, _) = await gw.CreateKeyAsync();

        var (status, error) = await PostRawAsync(gw, key, Encoding.UTF8.GetBytes(body));

        Assert.Equal(400, status);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal(0, gw.Simulator.RequestCount);
    }

    [Theory]
    [InlineData("GET", "v1/chat/completions", 405, "method_not_allowed", "POST")]
    [InlineData("PUT", "v1/embeddings", 405, "method_not_allowed", "POST")]
    [InlineData("POST", "v1/models", 405, "method_not_allowed", "GET")]
    [InlineData("DELETE", "v1/models/gpt-4o", 405, "method_not_allowed", "GET")]
    [InlineData("POST", "v1/audio/speech", 404, "unknown_url", null)]
    [InlineData("GET", "v1/completions", 405, "method_not_allowed", "POST")]
    [InlineData("GET", "v1/chat/completion", 404, "unknown_url", null)]
    public async Task Send_WrongMethodOrUnknownPath_ErrorInOpenAiShape_NothingForwarded(string method, string path, int status, string code, string? allow)
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, _) = await gw.CreateKeyAsync();
        using var req = new HttpRequestMessage(new HttpMethod(method), path);
        req.Headers.Authorization = new("Bearer", key);
        if (method != "GET" && method != "DELETE")
        {
            req.Content = new StringContent("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", Encoding.UTF8, "application/json");
        }

        using var resp = await gw.Http.SendAsync(req, TestContext.Current.CancellationToken);
        using var doc = JsonDocument.Parse(await resp.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(status, (int)resp.StatusCode);
        var error = doc.RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Contains("/" + path, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(allow, resp.Content.Headers.Allow.Count == 0 ? null : string.Join(",", resp.Content.Headers.Allow));
        Assert.Equal(0, gw.Simulator.RequestCount);
    }

    [Fact]
    public async Task Post_InvalidUtf8_400()
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, _) = await gw.CreateKeyAsync();
        var body = Encoding.UTF8.GetBytes("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"XX\"}]}");
        var at = Array.IndexOf(body, (byte)'X');
        body[at] = 0xC3;
        body[at + 1] = 0x28;

        var (status, error) = await PostRawAsync(gw, key, body);

        Assert.Equal(400, status);
        Assert.Equal("invalid_encoding", error.GetProperty("code").GetString());
        Assert.Equal(0, gw.Simulator.RequestCount);
    }

    [Fact]
    public async Task Post_GzipBody_415UnsupportedContentEncodingAndRecorded()
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, _) = await gw.CreateKeyAsync();
        using var compressed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"));
        }

        using var req = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = new ByteArrayContent(compressed.ToArray()) };
        req.Content.Headers.ContentType = new("application/json");
        req.Content.Headers.ContentEncoding.Add("gzip");
        req.Headers.Authorization = new("Bearer", key);
        using var resp = await gw.Http.SendAsync(req, TestContext.Current.CancellationToken);
        using var doc = JsonDocument.Parse(await resp.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(415, (int)resp.StatusCode);
        var error = doc.RootElement.GetProperty("error");
        Assert.Equal("unsupported_content_encoding", error.GetProperty("code").GetString());
        Assert.Contains("'gzip'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, gw.Simulator.RequestCount);
        await AssertRecordAsync(gw, 415, "unsupported_content_encoding");
    }

    [Fact]
    public async Task Post_BodyOverLimit_413AndRecorded()
    {
        await using var gw = await TestGateway.StartAsync(s => s.Overrides["Gateway:MaxRequestBodyBytes"] = "2048");
        var (key, _) = await gw.CreateKeyAsync();
        var big = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"" + new string('a', 5000) + "\"}]}";

        var (status, error) = await PostRawAsync(gw, key, Encoding.UTF8.GetBytes(big));

        Assert.Equal(413, status);
        Assert.Equal("request_too_large", error.GetProperty("code").GetString());
        Assert.Equal(0, gw.Simulator.RequestCount);
        await gw.WaitForRecordsAsync();
        Assert.Equal(1, await gw.App.Services.GetRequiredService<IGatewayStore>().CountRequestsAsync());
    }

    [Fact]
    public async Task CompleteChat_UnknownModelWithNamedRoutes_SdkThrows404ModelNotFound()
    {
        await using var gw = await TestGateway.StartAsync(s => NamedRoutes.ToSimulator(s, "gpt-4o"));
        var (key, _) = await gw.CreateKeyAsync();

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => Sdk.Chat(gw, key, "no-such-model").CompleteChatAsync([new UserChatMessage("hi")]));
        ChatCompletion ok = await Sdk.Chat(gw, key, "gpt-4o").CompleteChatAsync([new UserChatMessage("hi")]);

        Assert.Equal(404, ex.Status);
        Assert.Contains("model_not_found", ex.Message, StringComparison.Ordinal);
        Assert.NotEmpty(ok.Content);
        Assert.Equal(1, gw.Simulator.RequestCount);
    }

    [Fact]
    public async Task CompleteChat_UpstreamTimesOut_504UpstreamTimeout()
    {
        await using var gw = await TestGateway.StartAsync(s =>
        {
            s.Overrides["Gateway:UpstreamTimeoutSeconds"] = "1";
            s.Overrides["Gateway:Retries"] = "0";
        }, sim: o => o.TimeToFirstTokenMs = 4000);
        var (key, _) = await gw.CreateKeyAsync();

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => Sdk.Chat(gw, key).CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(504, ex.Status);
        Assert.Contains("upstream_timeout", ex.Message, StringComparison.Ordinal);
        await AssertRecordAsync(gw, 504, "upstream_timeout");
    }

    [Fact]
    public async Task CompleteChat_UpstreamDropsConnection_502AfterRetry()
    {
        await using var gw = await TestGateway.StartAsync(sim: o => o.DropRate = 1);
        var (key, _) = await gw.CreateKeyAsync();

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => Sdk.Chat(gw, key).CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(502, ex.Status);
        Assert.Contains("upstream_error", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, gw.Simulator.RequestCount);
        await AssertRecordAsync(gw, 502, "upstream_error");
    }

    [Fact]
    public async Task CompleteChat_Upstream403_PassedThroughInOpenAiShape()
    {
        await using var gw = await TestGateway.StartAsync(sim: o => o.SuspendedAccount = true);
        var (key, _) = await gw.CreateKeyAsync();

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => Sdk.Chat(gw, key).CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(403, ex.Status);
        Assert.Contains("account_deactivated", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteChat_Upstream429ThenOk_RetriedTransparently()
    {
        await using var gw = await TestGateway.StartAsync(s => s.Overrides["Gateway:Retries"] = "0", sim: o => o.RateLimitRate = 1);
        var (key, _) = await gw.CreateKeyAsync();

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => Sdk.Chat(gw, key).CompleteChatAsync([new UserChatMessage("hi")]));
        var raw = ex.GetRawResponse();

        Assert.Equal(429, ex.Status);
        Assert.NotNull(raw);
        Assert.True(raw!.Headers.TryGetValue("retry-after", out var retry) && int.Parse(retry!, System.Globalization.CultureInfo.InvariantCulture) >= 1);
    }

    private static async Task<(int Status, JsonElement Error)> PostRawAsync(TestGateway gw, string key, byte[] body)
    {
        using var req = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = new ByteArrayContent(body) };
        req.Content.Headers.ContentType = new("application/json");
        req.Headers.Authorization = new("Bearer", key);
        using var resp = await gw.Http.SendAsync(req);
        var text = await resp.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(text);
        var error = doc.RootElement.GetProperty("error").Clone();
        Assert.True(error.TryGetProperty("message", out _));
        Assert.True(error.TryGetProperty("param", out _));
        return ((int)resp.StatusCode, error);
    }

    private static async Task AssertRecordAsync(TestGateway gw, int status, string code)
    {
        await gw.WaitForRecordsAsync();
        var store = gw.App.Services.GetRequiredService<IGatewayStore>();
        var found = false;
        await foreach (var r in store.ReadRequestsAsync(null, null))
        {
            Assert.Equal(status, r.Status);
            Assert.Equal(code, r.ErrorCode);
            found = true;
        }

        Assert.True(found);
    }
}

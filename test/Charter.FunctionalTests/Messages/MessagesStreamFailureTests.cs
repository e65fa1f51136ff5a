// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text;
using System.Text.Json;
using Charter.FunctionalTests.Anthropic;
using Charter.FunctionalTests.Infrastructure;
using Charter.Hosting;
using Charter.Tests.Common;

namespace Charter.FunctionalTests.Messages;

/// <summary>A <c>/v1/messages</c> stream that ends badly: the client leaves, or the upstream fails half-way. On either kind of
/// account (passed through, or rebuilt from chat chunks) the record says how it ended.</summary>
public sealed class MessagesStreamFailureTests
{
    [Theory]
    [InlineData("anthropic")]
    [InlineData("openai-compatible")]
    public async Task Stream_ClientLeavesAfterTheFirstText_Record499WithTheOutputSoFar(string account)
    {
        await using var gw = await TestGateway.StartAsync(Settings(account), sim: o =>
        {
            o.TokensPerSecond = 50;
            o.MinCompletionTokens = 300;
            o.MaxCompletionTokens = 300;
        });
        var (key, _) = await gw.CreateKeyAsync();
        using (var cts = new CancellationTokenSource())
        {
            using var request = Request(key, ModelFor(account), 300);
            using var response = await gw.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
            await using var stream = await response.Content.ReadAsStreamAsync(cts.Token);
            var seen = new StringBuilder();
            var buffer = new byte[4096];
            while (!seen.ToString().Contains("text_delta", StringComparison.Ordinal))
            {
                var n = await stream.ReadAsync(buffer, cts.Token);
                Assert.True(n > 0);
                seen.Append(Encoding.UTF8.GetString(buffer, 0, n));
            }

            await cts.CancelAsync();
        }

        var record = await SettledRecord.LastAsync(gw);

        Assert.NotNull(record);
        Assert.Equal((499, "client_disconnected", "messages"), (record.Status, record.ErrorCode, record.Endpoint));
        Assert.True(record.CompletionTokens is > 0 and < 300, $"{record.CompletionTokens} completion tokens"); // what was generated before
    }

    [Theory]
    [InlineData("anthropic", true)]
    [InlineData("anthropic", false)]
    [InlineData("openai-compatible", true)]
    [InlineData("openai-compatible", false)]
    public async Task Stream_UpstreamFailsHalfWay_AnthropicErrorEventLastAndRecordSaysUpstreamError(string account, bool errorEvent)
    {
        await using var gw = await TestGateway.StartAsync(Settings(account), sim: o =>
        {
            o.TokensPerSecond = 400; // each token flushed: the stream has begun when it fails half-way
            if (errorEvent)
            {
                o.StreamErrorRate = 1;
            }
            else
            {
                o.DropRate = 1;
            }
        });
        var (key, _) = await gw.CreateKeyAsync();

        using var request = Request(key, ModelFor(account), 40);
        using var response = await gw.Http.SendAsync(request, TestContext.Current.CancellationToken);
        var sse = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(200, (int)response.StatusCode); // the stream had begun
        Assert.DoesNotContain("message_stop", sse, StringComparison.Ordinal);
        var last = sse.TrimEnd().Split("\n\n")[^1];
        Assert.StartsWith("event: error\n", last, StringComparison.Ordinal);
        using (var error = JsonDocument.Parse(last[(last.IndexOf("data:", StringComparison.Ordinal) + 5)..]))
        {
            Assert.Equal("error", error.RootElement.GetProperty("type").GetString());
            Assert.False(string.IsNullOrEmpty(error.RootElement.GetProperty("error").GetProperty("message").GetString()));
        }

        var record = await SettledRecord.LastAsync(gw);
        Assert.NotNull(record);
        Assert.Equal(("upstream_error", "messages"), (record.ErrorCode, record.Endpoint));
    }

    private static Action<CharterHostSettings> Settings(string account) =>
        account == "anthropic" ? AnthropicAccount.Settings(null) : ChatAccount.Settings(null, account);

    private static string ModelFor(string account) => account == "anthropic" ? AnthropicAccount.Model : ChatAccount.Model;

    private static HttpRequestMessage Request(string key, string model, int maxTokens)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages")
        {
            Content = new StringContent($$"""{"model":"{{model}}","max_tokens":{{maxTokens}},"stream":true,"messages":[{"role":"user","content":"Tell me about rivers."}]}""",
                Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("x-api-key", key);
        request.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
        return request;
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Net;
using System.Text;
using Charter.FunctionalTests.Infrastructure;
using Charter.Storage;
using Charter.Tests.Common;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Chat;

namespace Charter.FunctionalTests.Gateway;

public sealed class ChatCompletionsTests
{
    [Fact]
    public async Task CompleteChat_OpenAiSdk_ReturnsCompletionAndWritesRecord()
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, keyId) = await gw.CreateKeyAsync();
        var client = Sdk.Chat(gw, key);

        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("Say hello.")], new ChatCompletionOptions { MaxOutputTokenCount = 12 });

        Assert.False(string.IsNullOrWhiteSpace(completion.Content[0].Text));
        Assert.Equal(12, completion.Usage.OutputTokenCount);
        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal(1, gw.Simulator.RequestCount);

        var records = await GatewayRecords.AllAsync(gw);

        var record = Assert.Single(records);
        Assert.Equal(200, record.Status);
        Assert.Equal(keyId, record.Key);
        Assert.Equal("testing", record.Purpose);
        Assert.Equal(completion.Usage.InputTokenCount, record.PromptTokens);
        Assert.Equal(12, record.CompletionTokens);
        Assert.DoesNotContain("Say hello", record.RequestJson, StringComparison.Ordinal);
        Assert.Contains(record.Id, gw.Simulator.SeenRequestIds);
    }

    [Fact]
    public async Task CompleteChatStreaming_SlowUpstream_FirstChunkArrivesBeforeUpstreamFinishes()
    {
        // 16-40 tokens at 10 tokens/s: the upstream needs seconds to finish.
        await using var gw = await TestGateway.StartAsync(sim: o => o.TokensPerSecond = 10);
        var (key, _) = await gw.CreateKeyAsync();
        var client = Sdk.Chat(gw, key);
        var store = gw.App.Services.GetRequiredService<IGatewayStore>();
        var chunks = 0;
        int? statusAtFirstToken = -1;
        var text = new StringBuilder();
        ChatTokenUsage? sdkUsage = null;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("Count slowly.")], new ChatCompletionOptions { MaxOutputTokenCount = 40 }))
        {
            if (update.ContentUpdate.Count > 0 && chunks++ == 0)
            {
                // The request is recorded (journaled before forwarding) but not completed: the upstream is still generating.
                await gw.WaitForRecordsAsync(requireComplete: false);
                await foreach (var r in store.ReadRequestsAsync(null, null))
                {
                    statusAtFirstToken = r.Status;
                }
            }

            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            sdkUsage ??= update.Usage;
        }

        Assert.Null(statusAtFirstToken);
        Assert.True(chunks >= 20, $"expected the tokens in many chunks, got {chunks}");
        await gw.WaitForRecordsAsync();
        await foreach (var r in store.ReadRequestsAsync(null, null))
        {
            Assert.Equal(200, r.Status);
            Assert.Equal(sdkUsage!.OutputTokenCount, r.CompletionTokens);
        }
    }

    [Fact]
    public async Task Stream_ClientDidNotAskForUsage_ClientSeesNoUsageButRecordHasIt()
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, _) = await gw.CreateKeyAsync();
        using var req = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = new StringContent("""{"model":"gpt-4o","stream":true,"max_tokens":5,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        req.Headers.Authorization = new("Bearer", key);
        using var resp = await gw.Http.SendAsync(req);
        var body = await resp.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, resp.StatusCode);
        Assert.DoesNotContain("usage", body, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", body, StringComparison.Ordinal);
        await gw.WaitForRecordsAsync();
        var store = gw.App.Services.GetRequiredService<IGatewayStore>();
        await foreach (var r in store.ReadRequestsAsync(null, null))
        {
            Assert.Equal(5, r.CompletionTokens);
            Assert.False(r.Estimated);
            Assert.True(r.PromptTokens > 0);
        }
    }

    [Fact]
    public async Task Stream_ClientAskedForUsage_UsageChunkPassesThrough()
    {
        await using var gw = await TestGateway.StartAsync();
        var (key, _) = await gw.CreateKeyAsync();
        var client = Sdk.Chat(gw, key);
        ChatTokenUsage? usage = null;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("hi")], new ChatCompletionOptions { MaxOutputTokenCount = 7 }))
        {
            usage ??= update.Usage;
        }

        // The SDK always asks for include_usage; the gateway must not strip what the client asked for.
        Assert.NotNull(usage);
        Assert.Equal(7, usage!.OutputTokenCount);
    }

    [Fact]
    public async Task Stream_ClientDisconnectsMidStream_RecordSaysClientDisconnected()
    {
        await using var gw = await TestGateway.StartAsync(sim: o =>
        {
            o.TokensPerSecond = 50;
            o.MinCompletionTokens = 300;
            o.MaxCompletionTokens = 300;
        });
        var (key, _) = await gw.CreateKeyAsync();
        using (var cts = new CancellationTokenSource())
        {
            using var req = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
            {
                Content = new StringContent("""{"model":"gpt-4o","stream":true,"max_tokens":300,"messages":[{"role":"user","content":"a long story"}]}""", Encoding.UTF8, "application/json"),
            };
            req.Headers.Authorization = new("Bearer", key);
            using var resp = await gw.Http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead, cts.Token);
            await using var stream = await resp.Content.ReadAsStreamAsync(cts.Token);
            var buffer = new byte[256];
            Assert.True(await stream.ReadAsync(buffer, cts.Token) > 0);
            await cts.CancelAsync();
        }

        var record = await SettledRecord.LastAsync(gw);

        Assert.NotNull(record);
        Assert.Equal(499, record!.Status);
        Assert.Equal("client_disconnected", record.ErrorCode);
        Assert.True(record.CompletionTokens < 300, "usage is estimated from what was relayed");
        Assert.True(record.Estimated);
    }
}

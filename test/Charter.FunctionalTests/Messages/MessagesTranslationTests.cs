// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text;
using System.Text.Json;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using Charter.FunctionalTests.Azure;
using Charter.FunctionalTests.Infrastructure;
using Charter.Tests.Common;

namespace Charter.FunctionalTests.Messages;

/// <summary><c>/v1/messages</c> for a model on a chat completions account, driven by the Anthropic .NET SDK: the request
/// translated to chat completions, the answer, its stream and its errors back to Anthropic's shapes.</summary>
public sealed class MessagesTranslationTests
{
    [Fact]
    public async Task CreateMessage_OpenAiCompatibleAccount_SentAsChatAndAnsweredAsAMessage()
    {
        await using var proxy = await RecordingProxy.StartAsync();
        await using var gw = await TestGateway.StartAsync(ChatAccount.Settings(proxy, "openai-compatible"));
        var (key, keyId) = await gw.CreateKeyAsync();

        var message = await MessagesSdk.Client(gw, key).Messages.Create(new MessageCreateParams
        {
            Model = ChatAccount.Model,
            MaxTokens = 12,
            System = "You are terse.",
            Messages = [new UserMessageParam("Tell me about rivers.")],
        }, TestContext.Current.CancellationToken);

        Assert.True(message.Content[0].TryPickText(out var text) && text.Text.Length > 0);
        Assert.StartsWith("msg_", message.ID, StringComparison.Ordinal);
        Assert.Equal(StopReason.MaxTokens, message.StopReason!.Value()); // the simulator's answer is longer than 12 tokens
        Assert.Equal(12, message.Usage.OutputTokens);
        var seen = Assert.Single(proxy.Requests);
        Assert.Equal("/v1/chat/completions", seen.PathAndQuery);
        Assert.Equal("Bearer sk-chat-account-0123456789", seen.Authorization);
        using (var sent = JsonDocument.Parse(seen.Body))
        {
            var root = sent.RootElement;
            Assert.Equal(12, root.GetProperty("max_tokens").GetInt32()); // an OpenAI-compatible server: max_tokens
            var messages = root.GetProperty("messages").EnumerateArray().ToArray();
            Assert.Equal(("system", "You are terse."), (messages[0].GetProperty("role").GetString(), messages[0].GetProperty("content").GetString()));
            Assert.Equal(("user", "Tell me about rivers."), (messages[1].GetProperty("role").GetString(), messages[1].GetProperty("content").GetString()));
        }

        var record = Assert.Single(await GatewayRecords.AllAsync(gw));
        Assert.Equal(("messages", 200, keyId, "openai-compatible"), (record.Endpoint, record.Status, record.Key, record.Provider));
        Assert.Equal(((int)message.Usage.InputTokens, 12, false), (record.PromptTokens!.Value, record.CompletionTokens!.Value, record.Estimated));
    }

    [Fact]
    public async Task CreateMessageStreaming_OpenAiAccount_EventsBuiltFromChunksAndMaxCompletionTokensSent()
    {
        await using var proxy = await RecordingProxy.StartAsync();
        await using var gw = await TestGateway.StartAsync(ChatAccount.Settings(proxy, "openai"));
        var (key, _) = await gw.CreateKeyAsync();
        var client = MessagesSdk.Client(gw, key);
        var parameters = new MessageCreateParams
        {
            Model = ChatAccount.Model,
            MaxTokens = 20,
            Messages = [new UserMessageParam("Tell me about harbours.")],
        };

        var whole = await client.Messages.Create(parameters, TestContext.Current.CancellationToken);
        var text = new StringBuilder();
        long? outputTokens = null;
        var (started, stopped) = (false, false);
        await foreach (var ev in client.Messages.CreateStreaming(parameters, TestContext.Current.CancellationToken))
        {
            started |= ev.TryPickStart(out _);
            stopped |= ev.TryPickStop(out _);
            if (ev.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickText(out var t))
            {
                text.Append(t.Text);
            }
            else if (ev.TryPickDelta(out var messageDelta))
            {
                outputTokens = messageDelta.Usage.OutputTokens;
            }
        }

        Assert.True(whole.Content[0].TryPickText(out var wholeText));
        Assert.Equal(wholeText.Text, text.ToString());
        Assert.True(started && stopped);
        Assert.Equal(whole.Usage.OutputTokens, outputTokens);
        Assert.All(proxy.Requests, r =>
        {
            using var sent = JsonDocument.Parse(r.Body);
            Assert.Equal(20, sent.RootElement.GetProperty("max_completion_tokens").GetInt32()); // OpenAI's reasoning models refuse max_tokens
            Assert.False(sent.RootElement.TryGetProperty("max_tokens", out _));
        });
        using (var streamed = JsonDocument.Parse(proxy.Requests.ElementAt(1).Body))
        {
            Assert.True(streamed.RootElement.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        }

        var records = await GatewayRecords.AllAsync(gw);
        Assert.All(records, r => Assert.Equal(("messages", 200, 20, false), (r.Endpoint, r.Status, r.CompletionTokens, r.Estimated)));
    }

    [Fact]
    public async Task CreateMessage_DocumentBlockForAChatAccount_400WithParamAndNothingSent()
    {
        await using var proxy = await RecordingProxy.StartAsync();
        await using var gw = await TestGateway.StartAsync(ChatAccount.Settings(proxy, "openai-compatible"));
        var (key, _) = await gw.CreateKeyAsync();
        const string body = """{"model":"gpt-4o-mini","max_tokens":8,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"text","media_type":"text/plain","data":"x"}}]}]}""";

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gw.BaseUri, "v1/messages")) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("x-api-key", key);
        request.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
        using var response = await gw.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(400, (int)response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("invalid_request_error", doc.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("messages[0].content[0].type", doc.RootElement.GetProperty("error").GetProperty("param").GetString());
        Assert.Empty(proxy.Requests);
        var record = Assert.Single(await GatewayRecords.AllAsync(gw));
        Assert.Equal((400, "messages"), (record.Status, record.Endpoint));
    }

    [Fact]
    public async Task CreateMessage_ChatAccountAnswers429_AnthropicRateLimitExceptionWithTheUpstreamsMessage()
    {
        await using var proxy = await RecordingProxy.StartAsync();
        await using var gw = await TestGateway.StartAsync(s =>
        {
            ChatAccount.Settings(proxy, "openai-compatible")(s);
            s.Overrides["Gateway:Retries"] = "0";
        }, sim: o => o.RateLimitRate = 1);
        var (key, _) = await gw.CreateKeyAsync();

        var ex = await Assert.ThrowsAsync<AnthropicRateLimitException>(() => MessagesSdk.Client(gw, key).Messages.Create(new MessageCreateParams
        {
            Model = ChatAccount.Model,
            MaxTokens = 8,
            Messages = [new UserMessageParam("Hello.")],
        }, TestContext.Current.CancellationToken));

        Assert.Contains("rate_limit_error", ex.Message, StringComparison.Ordinal);
        Assert.Single(proxy.Requests);
    }
}

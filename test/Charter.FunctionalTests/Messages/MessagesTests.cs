// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text;
using System.Text.Json;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using Charter.FunctionalTests.Anthropic;
using Charter.FunctionalTests.Azure;
using Charter.FunctionalTests.Infrastructure;
using Charter.FunctionalTests.Policy;
using Charter.Tests.Common;

namespace Charter.FunctionalTests.Messages;

/// <summary><c>POST /v1/messages</c> (Anthropic's Messages API) driven by the official Anthropic .NET SDK: passed through to
/// accounts that speak it, held to the same keys, purposes, policy and records as the OpenAI endpoints.</summary>
public sealed class MessagesTests
{
    private const string Model = AnthropicAccount.Model;

    [Fact]
    public async Task CreateMessage_AnthropicAccount_PassedThroughAndRecordedWithAnthropicsUsage()
    {
        await using var proxy = await RecordingProxy.StartAsync();
        await using var gw = await TestGateway.StartAsync(AnthropicAccount.Settings(proxy));
        var (key, keyId) = await gw.CreateKeyAsync();
        var client = MessagesSdk.Client(gw, key);

        var message = await client.Messages.Create(new MessageCreateParams
        {
            Model = Model,
            MaxTokens = 16,
            System = "You are terse.",
            Messages = [new UserMessageParam("Tell me about rivers.")],
        }, TestContext.Current.CancellationToken);

        Assert.True(message.Content[0].TryPickText(out var text) && text.Text.Length > 0);
        Assert.Equal(AnthropicAccount.UpstreamModel, message.Model.Raw());
        var seen = Assert.Single(proxy.Requests);
        Assert.Equal("/v1/messages", seen.PathAndQuery);
        Assert.Equal(AnthropicAccount.Key, seen.Headers["x-api-key"]); // the account's key, never the client's
        Assert.DoesNotContain(key, seen.Headers.Values);
        Assert.Equal("2023-06-01", seen.Headers["anthropic-version"]);
        using (var sent = JsonDocument.Parse(seen.Body))
        {
            Assert.Equal(AnthropicAccount.UpstreamModel, sent.RootElement.GetProperty("model").GetString()); // the route's model
            Assert.Equal("You are terse.", sent.RootElement.GetProperty("system").GetString()); // otherwise as the client sent it
        }

        var record = Assert.Single(await GatewayRecords.AllAsync(gw));
        Assert.Equal(("messages", 200, keyId, "anthropic", Model), (record.Endpoint, record.Status, record.Key, record.Provider, record.Model));
        Assert.Equal((int)message.Usage.InputTokens, record.PromptTokens);
        Assert.Equal((int)message.Usage.OutputTokens, record.CompletionTokens);
        Assert.False(record.Estimated);
        Assert.DoesNotContain("rivers", record.RequestJson, StringComparison.Ordinal);
        Assert.DoesNotContain("terse", record.RequestJson, StringComparison.Ordinal); // the system prompt is stored as its hash too
    }

    [Fact]
    public async Task CreateMessageStreaming_SimulatorAccount_EventsRelayedAsTheyCameAndTextEqualsTheWholeAnswer()
    {
        await using var gw = await TestGateway.StartAsync(inProcessSim: true);
        var (key, _) = await gw.CreateKeyAsync();
        var client = MessagesSdk.Client(gw, key);
        var parameters = new MessageCreateParams
        {
            Model = "claude-haiku-4",
            MaxTokens = 24,
            Messages = [new UserMessageParam("Tell me about harbours.")],
        };

        var whole = await client.Messages.Create(parameters, TestContext.Current.CancellationToken);
        var text = new StringBuilder();
        long? outputTokens = null;
        var sawStop = false;
        await foreach (var ev in client.Messages.CreateStreaming(parameters, TestContext.Current.CancellationToken))
        {
            if (ev.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickText(out var t))
            {
                text.Append(t.Text);
            }
            else if (ev.TryPickDelta(out var messageDelta))
            {
                outputTokens = messageDelta.Usage.OutputTokens;
            }

            sawStop |= ev.TryPickStop(out _);
        }

        Assert.True(whole.Content[0].TryPickText(out var wholeText));
        Assert.Equal(wholeText.Text, text.ToString());
        Assert.True(sawStop);
        Assert.Equal(whole.Usage.OutputTokens, outputTokens);
        var records = await GatewayRecords.AllAsync(gw);
        Assert.Equal(2, records.Count);
        Assert.All(records, r => Assert.Equal(("messages", 200, (int)whole.Usage.OutputTokens, false), (r.Endpoint, r.Status, r.CompletionTokens, r.Estimated)));
        Assert.Single(records, r => r.FirstTokenMs > 0); // the stream's; a whole answer has no first token
    }

    [Fact]
    public async Task CreateMessage_UnknownKey_AnthropicUnauthorizedException()
    {
        await using var gw = await TestGateway.StartAsync(AnthropicAccount.Settings(null));

        var ex = await Assert.ThrowsAsync<AnthropicUnauthorizedException>(() => MessagesSdk.Client(gw, "ck-not-a-key").Messages.Create(Hello(Model),
            TestContext.Current.CancellationToken));

        Assert.Contains("invalid_api_key", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, gw.Simulator.RequestCount);
    }

    [Fact]
    public async Task CreateMessage_UnknownModel_AnthropicNotFoundException()
    {
        await using var gw = await TestGateway.StartAsync(AnthropicAccount.Settings(null));
        var (key, _) = await gw.CreateKeyAsync();

        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => MessagesSdk.Client(gw, key).Messages.Create(Hello("claude-unknown-9"),
            TestContext.Current.CancellationToken));

        Assert.Equal(0, gw.Simulator.RequestCount);
    }

    [Fact]
    public async Task CreateMessage_ProhibitedPurpose_AnthropicForbiddenExceptionWithTheTermsRuleAndNothingSent()
    {
        await using var proxy = await RecordingProxy.StartAsync();
        await using var gw = await TestGateway.StartAsync(s =>
        {
            AnthropicAccount.Settings(proxy)(s);
            s.Policies = PolicyGateway.CopyPolicies();
        });
        var (key, _) = await gw.CreateKeyAsync(purposes: ["evaluation", "competing-model-development"], defaultPurpose: "evaluation");
        var prohibited = MessagesSdk.Client(gw, key).WithOptions(o => o with
        {
            ExtraHeaders = new Dictionary<string, string> { ["Charter-Purpose"] = "competing-model-development" },
        });

        var ex = await Assert.ThrowsAsync<AnthropicForbiddenException>(() => prohibited.Messages.Create(Hello(Model), TestContext.Current.CancellationToken));
        await MessagesSdk.Client(gw, key).Messages.Create(Hello(Model), TestContext.Current.CancellationToken); // its default purpose passes

        Assert.Contains("charter_policy_denied", ex.Message, StringComparison.Ordinal);
        Assert.Single(proxy.Requests); // only the allowed request left the gateway
        var records = await GatewayRecords.AllAsync(gw);
        Assert.Contains(records, r => r is { Status: 403, Decision: "deny", Endpoint: "messages" } && r.Rule!.Contains("competing-model-development", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"model":"claude-sonnet-4","messages":[{"role":"user","content":"x"}]}""", "max_tokens")]
    [InlineData("""{"model":"claude-sonnet-4","max_tokens":8}""", "messages")]
    [InlineData("""{"model":"claude-sonnet-4","max_tokens":8,"messages":[{"role":"user","content":"x"}],"temperature":1.5}""", "temperature")]
    [InlineData("""{"model":"claude-sonnet-4","max_tokens":8,"messages":[{"role":"user","content":"x"}],"system":7}""", "system")]
    [InlineData("""{"model":"claude-sonnet-4","max_tokens":0,"messages":[{"role":"user","content":"x"}]}""", "max_tokens")]
    public async Task Messages_InvalidBody_400InAnthropicsShapeWithParamAndNothingSent(string body, string param)
    {
        await using var gw = await TestGateway.StartAsync(AnthropicAccount.Settings(null));
        var (key, _) = await gw.CreateKeyAsync();

        var (status, text) = await PostAsync(gw, body, ("x-api-key", key));

        Assert.Equal(400, status);
        using var doc = JsonDocument.Parse(text);
        Assert.Equal("error", doc.RootElement.GetProperty("type").GetString());
        var error = doc.RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal(0, gw.Simulator.RequestCount);
    }

    [Fact]
    public async Task Messages_BearerKeyAndSuspendedUpstream_TheAccountsOwn403PassesInAnthropicsShape()
    {
        await using var gw = await TestGateway.StartAsync(AnthropicAccount.Settings(null), sim: o => o.SuspendedAccount = true);
        var (key, _) = await gw.CreateKeyAsync();

        var (status, text) = await PostAsync(gw, """{"model":"claude-sonnet-4","max_tokens":8,"messages":[{"role":"user","content":"x"}]}""",
            ("Authorization", "Bearer " + key));

        Assert.Equal(403, status);
        using var doc = JsonDocument.Parse(text);
        Assert.Equal("error", doc.RootElement.GetProperty("type").GetString());
        Assert.Equal("permission_error", doc.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(1, gw.Simulator.RequestCountFor("anthropic", "messages"));
    }

    [Fact]
    public async Task CountTokens_AnthropicAccount_PassedThroughAndEqualToTheMessagesInputTokens()
    {
        await using var gw = await TestGateway.StartAsync(AnthropicAccount.Settings(null));
        var (key, keyId) = await gw.CreateKeyAsync();
        var client = MessagesSdk.Client(gw, key);

        var count = await client.Messages.CountTokens(new MessageCountTokensParams
        {
            Model = Model,
            System = "You are terse.",
            Messages = [new UserMessageParam("Tell me about rivers.")],
        }, TestContext.Current.CancellationToken);
        var message = await client.Messages.Create(new MessageCreateParams
        {
            Model = Model,
            MaxTokens = 8,
            System = "You are terse.",
            Messages = [new UserMessageParam("Tell me about rivers.")],
        }, TestContext.Current.CancellationToken);

        Assert.Equal(message.Usage.InputTokens, count.InputTokens);
        Assert.Equal(1, gw.Simulator.RequestCountFor("anthropic", "messages_count_tokens"));
        var records = await GatewayRecords.AllAsync(gw);
        var counted = Assert.Single(records, r => r.Endpoint == "messages.count_tokens");
        Assert.Equal((200, keyId, "anthropic", null), (counted.Status, counted.Key, counted.Provider, counted.ErrorCode));
        Assert.Null(counted.PromptTokens); // free: the count is the answer, not usage
    }

    [Fact]
    public async Task CountTokens_OpenAiCompatibleAccount_CountedByCharterAndNothingSent()
    {
        await using var gw = await TestGateway.StartAsync(); // one openai-compatible account: no count_tokens endpoint upstream
        var (key, keyId) = await gw.CreateKeyAsync();
        var client = MessagesSdk.Client(gw, key);

        var bare = await client.Messages.CountTokens(new MessageCountTokensParams
        {
            Model = "gpt-4o-mini",
            Messages = [new UserMessageParam("Tell me about rivers and the harbours at their mouths.")],
        }, TestContext.Current.CancellationToken);
        var withSystem = await client.Messages.CountTokens(new MessageCountTokensParams
        {
            Model = "gpt-4o-mini",
            System = "You are a geographer who answers in one sentence.",
            Messages = [new UserMessageParam("Tell me about rivers and the harbours at their mouths.")],
        }, TestContext.Current.CancellationToken);

        Assert.True(bare.InputTokens > 5);
        Assert.True(withSystem.InputTokens > bare.InputTokens + 5);
        Assert.Equal(0, gw.Simulator.RequestCount);
        var records = await GatewayRecords.AllAsync(gw);
        Assert.Equal(2, records.Count);
        Assert.All(records, r =>
        {
            Assert.Equal(("messages.count_tokens", 200, keyId, "counted_by_charter"), (r.Endpoint, r.Status, r.Key, r.ErrorCode));
            Assert.Null(r.PromptTokens); // free: no usage to bill or to hold to the limits
            Assert.DoesNotContain("harbours", r.RequestJson, StringComparison.Ordinal);
            Assert.DoesNotContain("geographer", r.RequestJson, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Models_AnthropicSdk_ListAndRetrieveInAnthropicsShape()
    {
        await using var gw = await TestGateway.StartAsync(AnthropicAccount.Settings(null));
        var (key, _) = await gw.CreateKeyAsync();
        var client = MessagesSdk.Client(gw, key);

        var page = await client.Models.List(new global::Anthropic.Models.Models.ModelListParams(), TestContext.Current.CancellationToken);
        var one = await client.Models.Retrieve(Model, new global::Anthropic.Models.Models.ModelRetrieveParams(), TestContext.Current.CancellationToken);

        Assert.Equal([Model], page.Items.Select(m => m.ID));
        Assert.False(page.HasNext());
        Assert.Equal(Model, one.ID);
        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => client.Models.Retrieve("claude-unknown-9", new global::Anthropic.Models.Models.ModelRetrieveParams(),
            TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<AnthropicUnauthorizedException>(() => MessagesSdk.Client(gw, "ck-not-a-key").Models.List(new global::Anthropic.Models.Models.ModelListParams(),
            TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task CreateMessage_OverTheKeysRequestsPerMinute_AnthropicRateLimitExceptionWithRetryAfterAndNothingSent()
    {
        await using var gw = await TestGateway.StartAsync(s =>
        {
            AnthropicAccount.Settings(null)(s);
            s.Overrides["limits:key_defaults:requests_per_minute"] = "1";
        });
        var (key, _) = await gw.CreateKeyAsync();
        var client = MessagesSdk.Client(gw, key);
        await client.Messages.Create(Hello(Model), TestContext.Current.CancellationToken);

        var ex = await Assert.ThrowsAsync<AnthropicRateLimitException>(() => client.Messages.Create(Hello(Model), TestContext.Current.CancellationToken));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gw.BaseUri, "v1/messages"))
        {
            Content = new StringContent("""{"model":"claude-sonnet-4","max_tokens":8,"messages":[{"role":"user","content":"x"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("x-api-key", key);
        using var response = await gw.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Contains("rate_limit_error", ex.Message, StringComparison.Ordinal);
        Assert.Equal(429, (int)response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, response.Headers.RetryAfter?.ToString()); // the SDKs wait that long
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("rate_limit_error", doc.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("rate_limit_exceeded", doc.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(1, gw.Simulator.RequestCountFor("anthropic", "messages")); // only the first left the gateway
    }

    [Fact]
    public async Task CountTokens_TokensPerMinuteWindowFull_StillAdmittedWhereAMessageIsNot()
    {
        // A token count generates nothing and is free: it counts as a request, not toward tokens per minute.
        await using var gw = await TestGateway.StartAsync(s =>
        {
            AnthropicAccount.Settings(null)(s);
            s.Overrides["limits:key_defaults:tokens_per_minute"] = "50";
        });
        var (key, _) = await gw.CreateKeyAsync();
        var text = string.Join(' ', Enumerable.Repeat("harbour", 300));

        var message = $$"""{"model":"claude-sonnet-4","max_tokens":8,"messages":[{"role":"user","content":"{{text}}"}]}""";
        var (first, _) = await PostAsync(gw, message, ("x-api-key", key)); // admitted into an empty window, which it fills
        var (counted, _) = await PostAsync(gw, $$"""{"model":"claude-sonnet-4","messages":[{"role":"user","content":"{{text}}"}]}""", ("x-api-key", key), "v1/messages/count_tokens");
        var (second, _) = await PostAsync(gw, message, ("x-api-key", key));

        Assert.Equal(200, first);
        Assert.Equal(200, counted);
        Assert.Equal(429, second); // the window is full for what generates
    }

    [Fact]
    public async Task Messages_Get_405InAnthropicsShape()
    {
        await using var gw = await TestGateway.StartAsync();

        using var response = await gw.Http.GetAsync(new Uri(gw.BaseUri, "v1/messages"), TestContext.Current.CancellationToken);

        Assert.Equal(405, (int)response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("error", doc.RootElement.GetProperty("type").GetString());
    }

    private static MessageCreateParams Hello(string model) => new()
    {
        Model = model,
        MaxTokens = 8,
        Messages = [new UserMessageParam("Hello.")],
    };

    private static async Task<(int Status, string Body)> PostAsync(TestGateway gw, string body, (string Name, string Value) credential, string path = "v1/messages")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gw.BaseUri, path))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation(credential.Name, credential.Value);
        request.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
        using var response = await gw.Http.SendAsync(request, TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}

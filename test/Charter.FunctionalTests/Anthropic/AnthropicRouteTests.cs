// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.ClientModel;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Charter.FunctionalTests.Azure;
using Charter.FunctionalTests.Conformance;
using Charter.FunctionalTests.Infrastructure;
using Charter.FunctionalTests.Policy;
using Charter.Hosting;
using Charter.Tests.Common;
using OpenAI.Chat;

namespace Charter.FunctionalTests.Anthropic;

/// <summary>An <c>anthropic</c> account in front of the simulator's Messages API, driven with the OpenAI SDK: the request is
/// translated to Anthropic's form, the answer, its stream and its errors back to OpenAI's.</summary>
public sealed partial class AnthropicRouteTests
{
    private const string AccountKey = AnthropicAccount.Key;
    private const string Model = AnthropicAccount.Model;
    private const string UpstreamModel = AnthropicAccount.UpstreamModel;

    [Fact]
    public async Task CompleteChat_AnthropicAccount_MessagesApiCalledAndAnswerTranslated()
    {
        await using var proxy = await RecordingProxy.StartAsync();
        await using var gw = await TestGateway.StartAsync(AnthropicAccount.Settings(proxy));
        var (key, _) = await gw.CreateKeyAsync();

        ChatCompletion completion = await Sdk.Chat(gw, key, Model).CompleteChatAsync(
            [new SystemChatMessage("You are terse."), new UserChatMessage("Say hello.")], new ChatCompletionOptions { MaxOutputTokenCount = 8 });

        Assert.False(string.IsNullOrWhiteSpace(completion.Content[0].Text));
        Assert.Equal(ChatFinishReason.Length, completion.FinishReason); // the sim's answer is longer than 8 tokens: max_tokens
        Assert.Equal(8, completion.Usage.OutputTokenCount);
        Assert.True(completion.Usage.InputTokenCount > 0);
        Assert.Equal(UpstreamModel, completion.Model);

        var seen = Assert.Single(proxy.Requests);
        Assert.Equal("/v1/messages", seen.PathAndQuery);
        Assert.Equal(AccountKey, seen.Headers["x-api-key"]);
        Assert.Equal("2023-06-01", seen.Headers["anthropic-version"]);
        Assert.Null(seen.Authorization); // the client's ck- key never goes upstream
        using var body = JsonDocument.Parse(seen.Body);
        var root = body.RootElement;
        Assert.Equal(UpstreamModel, root.GetProperty("model").GetString());
        Assert.Equal(8, root.GetProperty("max_tokens").GetInt32());
        Assert.Equal("You are terse.", root.GetProperty("system").GetString());
        var message = Assert.Single(root.GetProperty("messages").EnumerateArray());
        Assert.Equal("user", message.GetProperty("role").GetString());
    }

    [Fact]
    public async Task CompleteChat_Raw_AnswerConformsToOpenAiSpecAndRecordHasUsage()
    {
        await using var gw = await TestGateway.StartAsync(AnthropicAccount.Settings(null));
        var (key, keyId) = await gw.CreateKeyAsync();

        var (status, json, _) = await GatewayWire.PostAsync(gw, "v1/chat/completions", key, GatewayWire.ChatBody(Model));

        Assert.Equal(200, status);
        Assert.Empty(OpenApiSpec.Shared.Validate("CreateChatCompletionResponse", json));
        using var doc = JsonDocument.Parse(json);
        var usage = doc.RootElement.GetProperty("usage");
        var record = await SettledRecord.LastAsync(gw);
        Assert.NotNull(record);
        Assert.Equal(keyId, record.Key);
        Assert.Equal("anthropic", record.Provider);
        Assert.Equal(200, record.Status);
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32(), record.PromptTokens);
        Assert.Equal(usage.GetProperty("completion_tokens").GetInt32(), record.CompletionTokens);
        Assert.False(record.Estimated); // Anthropic's own counts, not the tokenizer's
    }

    [Fact]
    public async Task CompleteChatStreaming_AnthropicEvents_SameTextAsTheWholeAnswer()
    {
        await using var gw = await TestGateway.StartAsync(AnthropicAccount.Settings(null));
        var (key, _) = await gw.CreateKeyAsync();
        var chat = Sdk.Chat(gw, key, Model);
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 12 };
        ChatCompletion whole = await chat.CompleteChatAsync([new UserChatMessage("Tell me about rivers.")], options);

        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Tell me about rivers.")], options, TestContext.Current.CancellationToken))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal(whole.Content[0].Text, text.ToString());
        Assert.Equal(ChatFinishReason.Length, finish);
        Assert.NotNull(usage); // the SDK asks for include_usage; the translator sends the usage chunk
        Assert.Equal(12, usage.OutputTokenCount);
        Assert.Equal(whole.Usage.InputTokenCount, usage.InputTokenCount);
    }

    [Fact]
    public async Task CompleteChatStreaming_Raw_EveryChunkConformsAndNoAnthropicEventLeaks()
    {
        await using var gw = await TestGateway.StartAsync(AnthropicAccount.Settings(null));
        var (key, _) = await gw.CreateKeyAsync();

        var (status, sse, _) = await GatewayWire.PostAsync(gw, "v1/chat/completions", key, GatewayWire.ChatBody(Model, ",\"stream\":true"));

        Assert.Equal(200, status);
        Assert.DoesNotContain("event:", sse, StringComparison.Ordinal);
        Assert.DoesNotContain("message_start", sse, StringComparison.Ordinal);
        var events = GatewayWire.DataEvents(sse); // fails on any line that is not data:
        Assert.Equal("[DONE]", events[^1]);
        Assert.True(events.Count >= 3, sse);
        foreach (var chunk in events.Take(events.Count - 1))
        {
            Assert.Empty(OpenApiSpec.Shared.Validate("CreateChatCompletionStreamResponse", chunk));
        }

        Assert.DoesNotContain("\"usage\":{", sse, StringComparison.Ordinal); // the client did not ask for usage
        var record = await SettledRecord.LastAsync(gw);
        Assert.NotNull(record);
        Assert.Equal(200, record.Status);
        Assert.True(record.CompletionTokens > 0);
        Assert.False(record.Estimated); // usage came from Anthropic's message_delta even though the client did not ask
    }

    [Fact]
    public async Task Stream_ClientDisconnectsMidStream_RecordSaysSoWithAnthropicsInputCountAndAnEstimatedOutput()
    {
        await using var gw = await TestGateway.StartAsync(AnthropicAccount.Settings(null), sim: o =>
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
                Content = new StringContent(GatewayWire.ChatBody(Model, ",\"stream\":true", maxTokens: 300), Encoding.UTF8, "application/json"),
            };
            req.Headers.Authorization = new("Bearer", key);
            using var resp = await gw.Http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead, cts.Token);
            await using var stream = await resp.Content.ReadAsStreamAsync(cts.Token);
            var seen = new StringBuilder();
            var buffer = new byte[4096];
            while (!FirstText().IsMatch(seen.ToString())) // until a chunk with text (the first one only has the role)
            {
                var n = await stream.ReadAsync(buffer, cts.Token);
                Assert.True(n > 0);
                seen.Append(Encoding.UTF8.GetString(buffer, 0, n));
            }

            await cts.CancelAsync();
        }

        var record = await SettledRecord.LastAsync(gw);

        Assert.NotNull(record);
        Assert.Equal(499, record.Status);
        Assert.Equal("client_disconnected", record.ErrorCode);
        Assert.True(record.PromptTokens > 0); // message_start's input_tokens
        Assert.True(record.CompletionTokens is > 0 and < 300, $"{record.CompletionTokens} completion tokens");
        Assert.True(record.Estimated); // Anthropic's output count comes at message_delta, which never came
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Stream_UpstreamFailsMidStream_ErrorEventNoDoneAndRecordSaysUpstreamError(bool errorEvent)
    {
        await using var gw = await TestGateway.StartAsync(AnthropicAccount.Settings(null), sim: o =>
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

        var (status, sse, _) = await GatewayWire.PostAsync(gw, "v1/chat/completions", key, GatewayWire.ChatBody(Model, ",\"stream\":true", maxTokens: 40));

        Assert.Equal(200, status); // the stream had begun
        var events = GatewayWire.DataEvents(sse);
        Assert.DoesNotContain("[DONE]", events);
        using (var last = JsonDocument.Parse(events[^1]))
        {
            Assert.True(last.RootElement.TryGetProperty("error", out var error), events[^1]);
            Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        }

        var record = await SettledRecord.LastAsync(gw);
        Assert.NotNull(record);
        Assert.Equal("upstream_error", record.ErrorCode);
    }

    [Fact]
    public async Task CompleteChat_ForcedTool_ToolCallThenToolResultRoundTrip()
    {
        await using var proxy = await RecordingProxy.StartAsync();
        await using var gw = await TestGateway.StartAsync(AnthropicAccount.Settings(proxy));
        var (key, _) = await gw.CreateKeyAsync();
        var chat = Sdk.Chat(gw, key, Model);
        var tool = ChatTool.CreateFunctionTool("lookup", "Looks a word up.",
            BinaryData.FromString("""{"type":"object","properties":{"query":{"type":"string"}},"required":["query"]}"""));
        var options = new ChatCompletionOptions { Tools = { tool }, ToolChoice = ChatToolChoice.CreateFunctionChoice("lookup") };
        List<ChatMessage> messages = [new UserChatMessage("What does 'estuary' mean?")];

        ChatCompletion first = await chat.CompleteChatAsync(messages, options);

        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        var call = Assert.Single(first.ToolCalls);
        Assert.Equal("lookup", call.FunctionName);
        Assert.False(string.IsNullOrEmpty(call.Id));
        using (var args = JsonDocument.Parse(call.FunctionArguments))
        {
            Assert.Equal(JsonValueKind.Object, args.RootElement.ValueKind);
        }

        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(call.Id, "A tidal river mouth."));
        ChatCompletion second = await chat.CompleteChatAsync(messages, new ChatCompletionOptions { Tools = { tool }, MaxOutputTokenCount = 8 });

        Assert.False(string.IsNullOrWhiteSpace(second.Content[0].Text));
        var requests = proxy.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        using var firstBody = JsonDocument.Parse(requests[0].Body);
        Assert.Equal("tool", firstBody.RootElement.GetProperty("tool_choice").GetProperty("type").GetString());
        Assert.Equal("lookup", firstBody.RootElement.GetProperty("tools")[0].GetProperty("name").GetString());
        using var secondBody = JsonDocument.Parse(requests[1].Body);
        var turns = secondBody.RootElement.GetProperty("messages").EnumerateArray().ToArray();
        Assert.Equal(["user", "assistant", "user"], turns.Select(t => t.GetProperty("role").GetString()));
        Assert.Equal("tool_use", turns[1].GetProperty("content").EnumerateArray().Last().GetProperty("type").GetString());
        var result = Assert.Single(turns[2].GetProperty("content").EnumerateArray());
        Assert.Equal("tool_result", result.GetProperty("type").GetString());
        Assert.Equal(call.Id, result.GetProperty("tool_use_id").GetString());
    }

    [Fact]
    public async Task OpenAiNpm_StreamedToolCall_AssembledBySdkHelperThenAnswered()
    {
        await using var gw = await TestGateway.StartAsync(AnthropicAccount.Settings(null));
        var (key, _) = await gw.CreateKeyAsync();

        var result = await JsClient.RunAsync(gw, key, "tools", Model);

        Assert.Equal("tool_calls", result.GetProperty("finish").GetString());
        Assert.Equal(1, result.GetProperty("calls").GetInt32());
        var call = result.GetProperty("call");
        Assert.Equal("lookup", call.GetProperty("name").GetString());
        Assert.StartsWith("toolu_", call.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.String, call.GetProperty("arguments").GetProperty("query").ValueKind); // the input_json_delta pieces, joined
        Assert.True(result.GetProperty("usage").GetProperty("prompt_tokens").GetInt32() > 0);
        Assert.False(string.IsNullOrWhiteSpace(result.GetProperty("answer").GetString()));
        Assert.Equal("length", result.GetProperty("answerFinish").GetString());
    }

    [Theory]
    [InlineData(",\"n\":2", "n")]
    [InlineData(",\"logprobs\":true", "logprobs")]
    public async Task CompleteChat_WhatAnthropicCannotDo_400WithParamAndNothingForwarded(string extra, string param)
    {
        await using var proxy = await RecordingProxy.StartAsync();
        await using var gw = await TestGateway.StartAsync(AnthropicAccount.Settings(proxy));
        var (key, _) = await gw.CreateKeyAsync();

        var (status, json, _) = await GatewayWire.PostAsync(gw, "v1/chat/completions", key, GatewayWire.ChatBody(Model, extra));

        Assert.Equal(400, status);
        Assert.Empty(OpenApiSpec.Shared.Validate("ErrorResponse", json));
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(param, doc.RootElement.GetProperty("error").GetProperty("param").GetString());
        Assert.Empty(proxy.Requests);
        var record = await SettledRecord.LastAsync(gw);
        Assert.NotNull(record);
        Assert.Equal(400, record.Status);
    }

    [Fact]
    public async Task GenerateEmbedding_AnthropicOnlyModel_400NamingTheModel()
    {
        await using var proxy = await RecordingProxy.StartAsync();
        await using var gw = await TestGateway.StartAsync(AnthropicAccount.Settings(proxy));
        var (key, _) = await gw.CreateKeyAsync();

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => Sdk.Embeddings(gw, key, Model).GenerateEmbeddingAsync("hello"));

        Assert.Equal(400, ex.Status);
        var json = ex.GetRawResponse()!.Content.ToString();
        Assert.Empty(OpenApiSpec.Shared.Validate("ErrorResponse", json));
        Assert.Contains("Anthropic", json, StringComparison.Ordinal);
        Assert.Empty(proxy.Requests);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    public async Task GenerateEmbedding_RouteOfAnAnthropicAndAnotherAccount_TheOtherAnswersWhateverTheRetries(string retries)
    {
        // The Anthropic account is left out before any attempt is counted: without retries the route still has its other
        // account for embeddings.
        await using var gw = await TestGateway.StartAsync(s =>
        {
            AnthropicAccount.Settings(null)(s);
            s.Overrides["Providers:Accounts:1:Id"] = "sim-b";
            s.Overrides["Providers:Accounts:1:Kind"] = "sim";
            s.Overrides["Providers:Accounts:1:BaseUrl"] = s.Upstream;
            s.Overrides["Providers:Models:0:Targets:1:Account"] = "sim-b";
            s.Overrides["Providers:Models:0:Targets:1:Priority"] = "1"; // the Anthropic account first
            s.Overrides["Gateway:Retries"] = retries;
        });
        var (key, _) = await gw.CreateKeyAsync();

        var embedding = await Sdk.Embeddings(gw, key, Model).GenerateEmbeddingAsync("hello", cancellationToken: TestContext.Current.CancellationToken);

        Assert.NotEmpty(embedding.Value.ToFloats().ToArray());
        Assert.Equal(1, gw.Simulator.RequestCountFor("openai", "embeddings"));
        Assert.Equal("sim-b", (await SettledRecord.LastAsync(gw))!.Account);
    }

    [Fact]
    public async Task CompleteChat_UpstreamRateLimited_429InOpenAiShapeWithRetryAfter()
    {
        await using var gw = await TestGateway.StartAsync(AnthropicAccount.Settings(null, retries: 0), sim: o =>
        {
            o.RateLimitRate = 1;
            o.RetryAfterSeconds = 7;
        });
        var (key, _) = await gw.CreateKeyAsync();

        var (status, json, headers) = await GatewayWire.PostAsync(gw, "v1/chat/completions", key, GatewayWire.ChatBody(Model));

        Assert.Equal(429, status);
        Assert.Empty(OpenApiSpec.Shared.Validate("ErrorResponse", json));
        using var doc = JsonDocument.Parse(json);
        Assert.Equal("rate_limit_error", doc.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("7", Assert.Single(headers.GetValues("retry-after")));
    }

    [Fact]
    public async Task CompleteChat_UpstreamServerErrorEveryTime_RetriedThen502InOpenAiShape()
    {
        await using var proxy = await RecordingProxy.StartAsync();
        await using var gw = await TestGateway.StartAsync(AnthropicAccount.Settings(proxy), sim: o => o.ErrorRate = 1);
        var (key, _) = await gw.CreateKeyAsync();

        var (status, json, _) = await GatewayWire.PostAsync(gw, "v1/chat/completions", key, GatewayWire.ChatBody(Model));

        Assert.Equal(502, status); // Anthropic's 500 api_error, after the one retry (Gateway:Retries), as a bad gateway
        Assert.Empty(OpenApiSpec.Shared.Validate("ErrorResponse", json));
        using var doc = JsonDocument.Parse(json);
        Assert.Equal("api_error", doc.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(2, proxy.Requests.Count);
        var record = await SettledRecord.LastAsync(gw);
        Assert.NotNull(record);
        Assert.Equal("upstream_500", record.ErrorCode);
    }

    [Fact]
    public async Task CompleteChat_AnthropicOverloaded_RetriedAfterItsWaitThen503WithRetryAfter()
    {
        await using var proxy = await RecordingProxy.StartAsync();
        await using var gw = await TestGateway.StartAsync(AnthropicAccount.Settings(proxy), sim: o =>
        {
            o.OverloadedRate = 1;
            o.RetryAfterSeconds = 1;
        });
        var (key, _) = await gw.CreateKeyAsync();

        var (status, json, headers) = await GatewayWire.PostAsync(gw, "v1/chat/completions", key, GatewayWire.ChatBody(Model));

        Assert.Equal(503, status); // Anthropic's 529 overloaded_error, as OpenAI clients know it
        Assert.Equal(2, proxy.Requests.Count); // the retry waited the second it was asked for, then gave up
        Assert.Equal("1", Assert.Single(headers.GetValues("retry-after")));
        Assert.Empty(OpenApiSpec.Shared.Validate("ErrorResponse", json));
        using var doc = JsonDocument.Parse(json);
        Assert.Equal("overloaded_error", doc.RootElement.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task CompleteChat_SuspendedAnthropicAccount_403TranslatedAndAccountHeld()
    {
        await using var gw = await TestGateway.StartAsync(s =>
        {
            AnthropicAccount.Settings(null)(s);
            s.Policies = PolicyGateway.CopyPolicies(); // the policy authorizer is the one that watches upstream refusals
            s.Overrides["Policy:RefusalThreshold"] = "1";
        }, sim: o => o.SuspendedAccount = true);
        var (key, _) = await gw.CreateKeyAsync();

        var (status, json, _) = await GatewayWire.PostAsync(gw, "v1/chat/completions", key, GatewayWire.ChatBody(Model));

        Assert.Equal(403, status);
        Assert.Empty(OpenApiSpec.Shared.Validate("ErrorResponse", json));
        using var doc = JsonDocument.Parse(json);
        Assert.Equal("permission_error", doc.RootElement.GetProperty("error").GetProperty("type").GetString());

        // Anthropic's own words for a disabled account place the provider-suspended hold on the account, as OpenAI's do.
        var held = false;
        for (var i = 0; i < 50 && !held; i++)
        {
            var (_, history) = await AdminGetAsync(gw, "admin/v1/accounts/anthropic/history");
            held = history.Contains("provider_suspended", StringComparison.Ordinal) || history.Contains("provider-suspended", StringComparison.Ordinal);
            if (!held)
            {
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }
        }

        Assert.True(held);
    }

    [Fact]
    public async Task ListModels_AnthropicAccountWithoutRoutes_ItsOwnListAskedWithItsHeaders()
    {
        await using var proxy = await RecordingProxy.StartAsync();
        await using var gw = await TestGateway.StartAsync(s =>
        {
            var simRoot = s.Upstream![..s.Upstream!.LastIndexOf("/v1", StringComparison.Ordinal)];
            proxy.Target = new Uri(simRoot + "/");
            s.Overrides["Providers:Accounts:0:Id"] = "anthropic";
            s.Overrides["Providers:Accounts:0:Kind"] = "anthropic";
            s.Overrides["Providers:Accounts:0:BaseUrl"] = proxy.BaseUrl + "/v1";
            s.Overrides["Providers:Accounts:0:ApiKey"] = AccountKey;
        });
        var (key, _) = await gw.CreateKeyAsync();

        var (status, json) = await GatewayWire.GetAsync(gw, "v1/models", key);

        Assert.Equal(200, status);
        using var doc = JsonDocument.Parse(json);
        Assert.Contains(Model, doc.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        var seen = Assert.Single(proxy.Requests);
        Assert.Equal("GET", seen.Method);
        Assert.Equal("/v1/models?limit=1000", seen.PathAndQuery); // Anthropic pages the list, 20 by default
        Assert.Equal(AccountKey, seen.Headers["x-api-key"]);
        Assert.Equal("2023-06-01", seen.Headers["anthropic-version"]);
    }

    [Fact]
    public async Task CompleteChat_ShippedPolicies_AnthropicTermsApplyToTheAnthropicAccount()
    {
        await using var proxy = await RecordingProxy.StartAsync();
        await using var gw = await TestGateway.StartAsync(s =>
        {
            AnthropicAccount.Settings(proxy)(s);
            s.Policies = PolicyGateway.CopyPolicies();
        });
        var (key, _) = await gw.CreateKeyAsync(purposes: ["evaluation", "competing-model-development"], defaultPurpose: "evaluation");

        var allowed = await GatewayWire.PostAsync(gw, "v1/chat/completions", key, GatewayWire.ChatBody(Model));
        var prohibited = await GatewayWire.PostAsync(gw, "v1/chat/completions", key, GatewayWire.ChatBody(Model), purpose: "competing-model-development");
        var logprobs = await GatewayWire.PostAsync(gw, "v1/chat/completions", key, GatewayWire.ChatBody(Model, ",\"logprobs\":true"));

        Assert.Equal(200, allowed.Status);
        Assert.Equal(403, prohibited.Status);
        using (var doc = JsonDocument.Parse(prohibited.Body))
        {
            Assert.Equal("charter_policy_denied", doc.RootElement.GetProperty("error").GetProperty("code").GetString());
        }

        Assert.Equal(403, logprobs.Status); // anthropic-terms' no-logprobs limit refuses it before the translator would
        Assert.Single(proxy.Requests); // only the allowed request left the gateway
    }

    [GeneratedRegex("\"content\":\"[^\"]")]
    private static partial Regex FirstText();

    private static async Task<(int Status, string Body)> AdminGetAsync(TestGateway gw, string path)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, path);
        req.Headers.Authorization = new("Bearer", TestGateway.AdminKey);
        using var resp = await gw.Http.SendAsync(req, TestContext.Current.CancellationToken);
        return ((int)resp.StatusCode, await resp.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>One anthropic account (directly on the sim, or through <paramref name="proxy"/>) serving <see cref="Model"/>
    /// as <see cref="UpstreamModel"/>.</summary>
}

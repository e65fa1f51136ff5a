// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Net;
using System.Text;
using System.Text.Json;
using Charter.Sim;

namespace Charter.Tests.Sim;

/// <summary>Anthropic's Messages API (<c>POST /v1/messages</c>) over real loopback HTTP, and through the in-process handler.</summary>
public sealed class SimulatorAnthropicTests : IAsyncLifetime
{
    private const string Tools = """
        ,"tools":[{"name":"search","description":"Search the web","input_schema":{"type":"object","properties":{"query":{"type":"string"}}}},
                  {"name":"lookup","input_schema":{"type":"object"}}]
        """;

    private SimHost? _host;

    private HttpClient Http => _host!.Http;

    private Simulator Sim => _host!.Simulator;

    public async ValueTask InitializeAsync() => _host = await SimHost.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    [Fact]
    public async Task Messages_Valid_AnthropicShapeAndUsage()
    {
        var (status, body, response) = await PostAsync(Body("Tell me about rivers."));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("req_", Header(response, "request-id"), StringComparison.Ordinal);
        Assert.StartsWith("msg_", body.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("message", body.GetProperty("type").GetString());
        Assert.Equal("assistant", body.GetProperty("role").GetString());
        Assert.Equal("claude-sonnet-4", body.GetProperty("model").GetString());
        var content = body.GetProperty("content");
        Assert.Equal(1, content.GetArrayLength());
        Assert.Equal("text", content[0].GetProperty("type").GetString());
        var text = content[0].GetProperty("text").GetString()!;
        Assert.EndsWith(".", text, StringComparison.Ordinal);
        Assert.Equal("end_turn", body.GetProperty("stop_reason").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("stop_sequence").ValueKind);
        var usage = body.GetProperty("usage");
        Assert.Equal(text.Split(' ').Length, usage.GetProperty("output_tokens").GetInt32());
        Assert.InRange(usage.GetProperty("output_tokens").GetInt32(), 16, 48);
        Assert.Equal(0, usage.GetProperty("cache_creation_input_tokens").GetInt32());
        Assert.Equal(0, usage.GetProperty("cache_read_input_tokens").GetInt32());

        // input_tokens: per message 3 + ceil(UTF-8 bytes / 4), plus 3, with system as a message ("Be brief." and the question).
        Assert.Equal(3 + (3 + 3) + (3 + 6), usage.GetProperty("input_tokens").GetInt32());
    }

    [Fact]
    public async Task Messages_SameRequest_SameTextAsEachOtherAndAsOpenAIChat()
    {
        var first = await PostAsync(Body("Tell me about rivers."));
        var second = await PostAsync(Body("Tell me about rivers."));
        var other = await PostAsync(Body("Tell me about lakes."));
        using var chat = await Http.PostAsync("/v1/chat/completions", Json(SimTestClient.Chat("Tell me about rivers.", "claude-sonnet-4")), SimTestClient.Ct);
        using var chatDoc = JsonDocument.Parse(await chat.Content.ReadAsStringAsync(SimTestClient.Ct));

        Assert.Equal(Text(first.Body), Text(second.Body));
        Assert.NotEqual(first.Body.GetProperty("id").GetString(), second.Body.GetProperty("id").GetString());
        Assert.NotEqual(Text(first.Body), Text(other.Body));
        Assert.Equal(SimulatorChatTests.Content(chatDoc.RootElement, 0), Text(first.Body));
        Assert.Equal(
            chatDoc.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(),
            first.Body.GetProperty("usage").GetProperty("input_tokens").GetInt32());
    }

    [Fact]
    public async Task Messages_MaxTokensCuts_StopReasonMaxTokensAndPrefixOfUncutText()
    {
        var full = Text((await PostAsync(Body("Tell me about rivers."))).Body);
        var (status, body, _) = await PostAsync(Body("Tell me about rivers.", maxTokens: 5));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("max_tokens", body.GetProperty("stop_reason").GetString());
        Assert.Equal(5, body.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        var text = Text(body);
        Assert.Equal(5, text.Split(' ').Length);
        Assert.StartsWith(text, full, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Messages_StopSequenceInText_CutBeforeItWithStopReasonStopSequence()
    {
        var full = Text((await PostAsync(Body("Tell me about rivers."))).Body);
        var stop = " " + full.Split(' ')[3];
        var at = full.IndexOf(stop, StringComparison.Ordinal);
        var (status, body, _) = await PostAsync(Body("Tell me about rivers.", extra: $$""","stop_sequences":["never-generated",{{JsonSerializer.Serialize(stop)}}]"""));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("stop_sequence", body.GetProperty("stop_reason").GetString());
        Assert.Equal(stop, body.GetProperty("stop_sequence").GetString());
        Assert.Equal(full[..at], Text(body));
        Assert.InRange(body.GetProperty("usage").GetProperty("output_tokens").GetInt32(), 1, full.Split(' ').Length - 1);
    }

    [Fact]
    public async Task Messages_StopSequenceAbsent_EndTurn()
    {
        var (_, body, _) = await PostAsync(Body("Tell me about rivers.", extra: ""","stop_sequences":["never-generated"]"""));

        Assert.Equal("end_turn", body.GetProperty("stop_reason").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("stop_sequence").ValueKind);
    }

    [Fact]
    public async Task Messages_SystemAsStringOrTextBlocks_SameAnswerAndInputTokens()
    {
        var asString = await PostAsync(Body("Hello", system: "\"Be brief.\""));
        var asBlocks = await PostAsync(Body("Hello", system: """[{"type":"text","text":"Be "},{"type":"text","text":"brief."}]"""));
        var without = await PostAsync(Body("Hello", system: null));

        Assert.Equal(HttpStatusCode.OK, asBlocks.Status);
        Assert.Equal(Text(asString.Body), Text(asBlocks.Body));
        Assert.Equal(InputTokens(asString.Body), InputTokens(asBlocks.Body));
        Assert.NotEqual(Text(asString.Body), Text(without.Body));
        Assert.Equal(InputTokens(asString.Body) - 6, InputTokens(without.Body));
    }

    [Fact]
    public async Task Messages_ContentBlocksAndToolResults_Accepted()
    {
        const string body = """
            {"model":"claude-sonnet-4","max_tokens":50,"messages":[
              {"role":"user","content":[{"type":"text","text":"Find rivers."},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}}]},
              {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"search","input":{"query":"rivers"}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"Nile, Amazon"}]}]}]}
            """;
        var (status, response, _) = await PostAsync(body);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("end_turn", response.GetProperty("stop_reason").GetString());
        Assert.Equal(3 + (3 + 3) + 3 + (3 + 3), InputTokens(response));
    }

    [Fact]
    public async Task Messages_ToolChoiceAny_ToolUseOfFirstTool()
    {
        var first = await PostAsync(Body("Find rivers.", extra: Tools + ""","tool_choice":{"type":"any"}"""));
        var again = await PostAsync(Body("Find rivers.", extra: Tools + ""","tool_choice":{"type":"any"}"""));

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal("tool_use", first.Body.GetProperty("stop_reason").GetString());
        var content = first.Body.GetProperty("content");
        Assert.Equal(1, content.GetArrayLength());
        var block = content[0];
        Assert.Equal("tool_use", block.GetProperty("type").GetString());
        Assert.StartsWith("toolu_", block.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("search", block.GetProperty("name").GetString());
        var query = block.GetProperty("input").GetProperty("query").GetString();
        Assert.False(string.IsNullOrWhiteSpace(query));
        Assert.Equal(block.GetRawText(), again.Body.GetProperty("content")[0].GetRawText());
        Assert.True(first.Body.GetProperty("usage").GetProperty("output_tokens").GetInt32() > 0);
    }

    [Fact]
    public async Task Messages_ToolChoiceTool_ToolUseOfNamedTool()
    {
        var (status, body, _) = await PostAsync(Body("Find rivers.", extra: Tools + ""","tool_choice":{"type":"tool","name":"lookup"}"""));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("tool_use", body.GetProperty("stop_reason").GetString());
        Assert.Equal("lookup", body.GetProperty("content")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Messages_ToolChoiceAutoOrNone_TextAnswer()
    {
        var auto = await PostAsync(Body("Find rivers.", extra: Tools + ""","tool_choice":{"type":"auto"}"""));
        var none = await PostAsync(Body("Find rivers.", extra: Tools + ""","tool_choice":{"type":"none"}"""));

        Assert.Equal("end_turn", auto.Body.GetProperty("stop_reason").GetString());
        Assert.Equal("text", auto.Body.GetProperty("content")[0].GetProperty("type").GetString());
        Assert.Equal("text", none.Body.GetProperty("content")[0].GetProperty("type").GetString());
    }

    [Fact]
    public async Task Stream_Text_EventOrderAndDeltasConcatenateToNonStreamText()
    {
        var expected = (await PostAsync(Body("Tell me about rivers."))).Body;
        var events = await StreamAsync(Body("Tell me about rivers.", extra: ""","stream":true"""));

        var types = events.Select(e => e.Type).ToList();
        Assert.Equal(["message_start", "ping", "content_block_start"], types.Take(3));
        Assert.Equal(["content_block_stop", "message_delta", "message_stop"], types.TakeLast(3));
        var deltas = events.Skip(3).SkipLast(3).ToList();
        Assert.NotEmpty(deltas);
        Assert.All(deltas, d => Assert.Equal("content_block_delta", d.Type));
        Assert.All(events, e => Assert.Equal(e.Type, e.Data.GetProperty("type").GetString()));

        var start = events[0].Data.GetProperty("message");
        Assert.Equal(0, start.GetProperty("content").GetArrayLength());
        Assert.Equal(InputTokens(expected), start.GetProperty("usage").GetProperty("input_tokens").GetInt32());
        Assert.Equal("text", events[2].Data.GetProperty("content_block").GetProperty("type").GetString());
        Assert.Equal(0, events[2].Data.GetProperty("index").GetInt32());
        var text = string.Concat(deltas.Select(d => d.Data.GetProperty("delta").GetProperty("text").GetString()));
        Assert.All(deltas, d => Assert.Equal("text_delta", d.Data.GetProperty("delta").GetProperty("type").GetString()));
        Assert.Equal(Text(expected), text);

        var delta = events[^2].Data;
        Assert.Equal("end_turn", delta.GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.Equal(expected.GetProperty("usage").GetProperty("output_tokens").GetInt32(), delta.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        Assert.Equal(deltas.Count, delta.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public async Task Stream_StopSequence_DeltasConcatenateToCutText()
    {
        var full = Text((await PostAsync(Body("Tell me about rivers."))).Body);
        var stop = full.Split(' ')[2][..2];
        var extra = $$""","stop_sequences":[{{JsonSerializer.Serialize(stop)}}]""";
        var expected = (await PostAsync(Body("Tell me about rivers.", extra: extra))).Body;
        var events = await StreamAsync(Body("Tell me about rivers.", extra: extra + ""","stream":true"""));

        var text = string.Concat(events.Where(e => e.Type == "content_block_delta").Select(d => d.Data.GetProperty("delta").GetProperty("text").GetString()));
        Assert.Equal(Text(expected), text);
        var delta = events.Single(e => e.Type == "message_delta").Data.GetProperty("delta");
        Assert.Equal("stop_sequence", delta.GetProperty("stop_reason").GetString());
        Assert.Equal(stop, delta.GetProperty("stop_sequence").GetString());
    }

    [Fact]
    public async Task Stream_ToolUse_PartialJsonPiecesConcatenateToNonStreamInput()
    {
        const string extra = Tools + ""","tool_choice":{"type":"tool","name":"search"}""";
        var expected = (await PostAsync(Body("Find rivers.", extra: extra))).Body.GetProperty("content")[0];
        var events = await StreamAsync(Body("Find rivers.", extra: extra + ""","stream":true"""));

        var block = events.Single(e => e.Type == "content_block_start").Data.GetProperty("content_block");
        Assert.Equal("tool_use", block.GetProperty("type").GetString());
        Assert.Equal(expected.GetProperty("id").GetString(), block.GetProperty("id").GetString());
        Assert.Equal("search", block.GetProperty("name").GetString());
        Assert.Empty(block.GetProperty("input").EnumerateObject());
        var pieces = events.Where(e => e.Type == "content_block_delta").Select(e => e.Data.GetProperty("delta")).ToList();
        Assert.InRange(pieces.Count, 2, 3);
        Assert.All(pieces, p => Assert.Equal("input_json_delta", p.GetProperty("type").GetString()));
        using var input = JsonDocument.Parse(string.Concat(pieces.Select(p => p.GetProperty("partial_json").GetString())));
        Assert.Equal(expected.GetProperty("input").GetRawText(), input.RootElement.GetRawText());
        Assert.Equal("tool_use", events.Single(e => e.Type == "message_delta").Data.GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.Equal("message_stop", events[^1].Type);
    }

    [Fact]
    public async Task Messages_NoAnthropicVersion_400InvalidRequest()
    {
        var (status, body, _) = await PostAsync(Body("Hello"), version: null);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertError(body, "invalid_request_error", "anthropic-version");
    }

    [Fact]
    public async Task Messages_NoMaxTokens_400NamingIt()
    {
        var (status, body, _) = await PostAsync("""{"model":"claude-sonnet-4","messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertError(body, "invalid_request_error", "max_tokens: Field required");
    }

    [Fact]
    public async Task Messages_NoApiKey_401AuthenticationError()
    {
        var (status, body, _) = await PostAsync(Body("Hello"), apiKey: null);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        AssertError(body, "authentication_error", "x-api-key");
    }

    [Theory]
    [InlineData("""{"max_tokens":5,"messages":[{"role":"user","content":"Hi"}]}""", "model: Field required")]
    [InlineData("""{"model":"m","max_tokens":0,"messages":[{"role":"user","content":"Hi"}]}""", "max_tokens")]
    [InlineData("""{"model":"m","max_tokens":5}""", "messages: Field required")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[]}""", "messages")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"system","content":"Hi"}]}""", "messages.0.role")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"user"}]}""", "messages.0.content: Field required")]
    [InlineData("""{"model":"m","max_tokens":5,"temperature":1.5,"messages":[{"role":"user","content":"Hi"}]}""", "temperature")]
    [InlineData("""{"model":"m","max_tokens":5,"n":2,"messages":[{"role":"user","content":"Hi"}]}""", "n: Extra inputs are not permitted")]
    [InlineData("""{"model":"m","max_tokens":5,"tools":[{"name":"t"}],"messages":[{"role":"user","content":"Hi"}]}""", "tools.0.input_schema: Field required")]
    [InlineData("""{"model":"m","max_tokens":5,"tool_choice":{"type":"required"},"messages":[{"role":"user","content":"Hi"}]}""", "tool_choice.type")]
    [InlineData("""not json""", "JSON")]
    public async Task Messages_InvalidBody_400NamingTheField(string json, string expected)
    {
        var (status, body, _) = await PostAsync(json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertError(body, "invalid_request_error", expected);
    }

    [Fact]
    public async Task Messages_RateLimitFault_429RateLimitErrorWithRetryAfter()
    {
        Sim.Configure(o =>
        {
            o.RateLimitRate = 1;
            o.RetryAfterSeconds = 3;
        });
        var (status, body, response) = await PostAsync(Body("Hello"));

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta);
        AssertError(body, "rate_limit_error", "rate limit");
    }

    [Fact]
    public async Task Messages_OverloadedFault_529OverloadedErrorWithRetryAfter()
    {
        Sim.Configure(o =>
        {
            o.OverloadedRate = 1;
            o.RetryAfterSeconds = 2;
        });
        var (status, body, response) = await PostAsync(Body("Hello"));

        Assert.Equal(529, (int)status);
        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
        AssertError(body, "overloaded_error", "Overloaded");
    }

    [Fact]
    public async Task Messages_SuspendedAccount_403PermissionErrorNamingSuspension()
    {
        Sim.Configure(o => o.SuspendedAccount = true);
        var (status, body, _) = await PostAsync(Body("Hello"));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        AssertError(body, "permission_error", "suspended");
        var message = body.GetProperty("error").GetProperty("message").GetString();
        Assert.Contains("deactivated", message, StringComparison.Ordinal);
        Assert.Contains("disabled", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Messages_ErrorRateFault_500ApiError()
    {
        Sim.Configure(o => o.ErrorRate = 1);
        var (status, body, _) = await PostAsync(Body("Hello"));

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        AssertError(body, "api_error", "");
    }

    [Fact]
    public async Task Stream_DropFault_ConnectionAbortedMidStream()
    {
        Sim.Configure(o => o.DropRate = 1);
        using var request = Request(Body("Hello", extra: ""","stream":true"""), "k", "2023-06-01");
        var ex = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, SimTestClient.Ct);
            await response.Content.ReadAsStringAsync(SimTestClient.Ct);
        });

        Assert.True(ex is HttpRequestException or IOException, ex.GetType().Name);
    }

    [Fact]
    public async Task Stream_StreamErrorFault_ErrorEventAndNoMessageStop()
    {
        Sim.Configure(o => o.StreamErrorRate = 1);
        var events = await StreamAsync(Body("Hello", extra: ""","stream":true"""));

        Assert.Equal("error", events[^1].Type);
        Assert.Equal("api_error", events[^1].Data.GetProperty("error").GetProperty("type").GetString());
        Assert.DoesNotContain(events, e => e.Type == "message_stop");
        Assert.Contains(events, e => e.Type == "content_block_delta");
    }

    [Fact]
    public async Task RequestLog_Messages_RecordedWithAnthropicFlavorAndMessagesEndpoint()
    {
        await PostAsync(Body("Hello"), configure: r => r.Headers.Add("X-Charter-Request-Id", "anth-1"));
        using var chat = await Http.PostAsync("/v1/chat/completions", Json(SimTestClient.Chat("Hello")), SimTestClient.Ct);
        using var log = JsonDocument.Parse(await Http.GetStringAsync("/_sim/requests", SimTestClient.Ct));

        var root = log.RootElement;
        Assert.Equal(2, root.GetProperty("count").GetInt64());
        Assert.Contains("anth-1", root.GetProperty("request_ids").EnumerateArray().Select(e => e.GetString()));
        var routes = root.GetProperty("routes").EnumerateArray()
            .ToDictionary(r => r.GetProperty("flavor").GetString() + " " + r.GetProperty("endpoint").GetString(), r => r.GetProperty("count").GetInt64());
        Assert.Equal(1, routes["anthropic messages"]);
        Assert.Equal(1, routes["openai chat_completions"]);
        Assert.Equal(1, Sim.RequestCountFor("anthropic", "messages"));
        Assert.Equal(1, Sim.RequestCountFor("openai", "chat_completions"));
    }

    [Fact]
    public async Task InProcessHandler_Messages_SameAnswerAsHost()
    {
        using var client = new SimTestClient();
        var overHttp = await PostAsync(Body("Tell me about rivers."));
        var inProcess = await client.PostAsync("/v1/messages", Body("Tell me about rivers."), r =>
        {
            r.Headers.Add("x-api-key", "k");
            r.Headers.Add("anthropic-version", "2023-06-01");
        });
        var noVersion = await client.PostAsync("/v1/messages", Body("Hello"), r => r.Headers.Add("x-api-key", "k"));
        var noKey = await client.PostAsync("/v1/messages", Body("Hello"), r => r.Headers.Add("anthropic-version", "2023-06-01"));

        Assert.Equal(HttpStatusCode.OK, inProcess.Status);
        Assert.StartsWith("req_", Header(inProcess.Response, "request-id"), StringComparison.Ordinal);
        Assert.Equal(Text(overHttp.Body), Text(inProcess.Body));
        Assert.Equal(overHttp.Body.GetProperty("usage").GetRawText(), inProcess.Body.GetProperty("usage").GetRawText());
        Assert.Equal(HttpStatusCode.BadRequest, noVersion.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.Status);
        Assert.Equal(3, client.Simulator.RequestCountFor("anthropic", "messages"));
    }

    [Fact]
    public async Task InProcessHandler_Stream_SameEventsAsHost()
    {
        using var client = new SimTestClient();
        var json = Body("Tell me about rivers.", extra: ""","stream":true""");
        var overHttp = await StreamAsync(json);
        using var request = Request(json, "k", "2023-06-01");
        using var response = await client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, SimTestClient.Ct);
        var inProcess = ParseEvents(await response.Content.ReadAsStringAsync(SimTestClient.Ct));

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(overHttp.Select(e => e.Type), inProcess.Select(e => e.Type));
        Assert.Equal(
            overHttp.Where(e => e.Type == "content_block_delta").Select(e => e.Data.GetRawText()),
            inProcess.Where(e => e.Type == "content_block_delta").Select(e => e.Data.GetRawText()));
    }

    private static string Body(string user, int maxTokens = 100, string? system = "\"Be brief.\"", string extra = "") =>
        "{\"model\":\"claude-sonnet-4\",\"max_tokens\":" + maxTokens
        + (system is null ? string.Empty : ",\"system\":" + system)
        + ",\"messages\":[{\"role\":\"user\",\"content\":" + JsonSerializer.Serialize(user) + "}]" + extra + "}";

    private static string Text(JsonElement body) => body.GetProperty("content")[0].GetProperty("text").GetString()!;

    private static int InputTokens(JsonElement body) => body.GetProperty("usage").GetProperty("input_tokens").GetInt32();

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.First() : null;

    private static void AssertError(JsonElement body, string type, string messagePart)
    {
        Assert.Equal("error", body.GetProperty("type").GetString());
        var error = body.GetProperty("error");
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.Contains(messagePart, error.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("req_", body.GetProperty("request_id").GetString(), StringComparison.Ordinal);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static HttpRequestMessage Request(string json, string? apiKey, string? version)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = Json(json) };
        if (apiKey is not null)
        {
            request.Headers.Add("x-api-key", apiKey);
        }

        if (version is not null)
        {
            request.Headers.Add("anthropic-version", version);
        }

        return request;
    }

    private static List<(string Type, JsonElement Data)> ParseEvents(string sse) => SimSse.ParseNamedEvents(sse);

    private async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PostAsync(
        string json, string? apiKey = "k", string? version = "2023-06-01", Action<HttpRequestMessage>? configure = null)
    {
        using var request = Request(json, apiKey, version);
        configure?.Invoke(request);
        var response = await Http.SendAsync(request, SimTestClient.Ct);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(SimTestClient.Ct));
        return (response.StatusCode, doc.RootElement.Clone(), response);
    }

    private async Task<List<(string Type, JsonElement Data)>> StreamAsync(string json)
    {
        using var request = Request(json, "k", "2023-06-01");
        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, SimTestClient.Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(Header(response, "request-id"));
        return ParseEvents(await response.Content.ReadAsStringAsync(SimTestClient.Ct));
    }
}

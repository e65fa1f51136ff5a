// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Net;
using System.Text;
using System.Text.Json;
using Charter.Sim;

namespace Charter.Tests.Sim;

/// <summary>Anthropic's token counting (<c>POST /v1/messages/count_tokens</c>) over real loopback HTTP, and through the in-process handler.</summary>
public sealed class SimulatorAnthropicCountTokensTests : IAsyncLifetime
{
    private const string Path = "/v1/messages/count_tokens";

    private const string Tools = """
        "tools":[{"name":"search","description":"Search the web","input_schema":{"type":"object","properties":{"query":{"type":"string"}}}},
                 {"name":"lookup","input_schema":{"type":"object"}}]
        """;

    // count_tokens bodies (no max_tokens): system as a string and as blocks, none, tools, multi-turn with blocks, thinking, non-ASCII.
    private static readonly string[] s_bodies =
    [
        """{"model":"claude-sonnet-4","system":"Be brief.","messages":[{"role":"user","content":"Tell me about rivers."}]}""",
        """{"model":"claude-sonnet-4","system":[{"type":"text","text":"Be "},{"type":"text","text":"brief.","cache_control":{"type":"ephemeral"}}],"messages":[{"role":"user","content":"Hello"}]}""",
        """{"model":"claude-haiku-4","messages":[{"role":"user","content":"Hello"}]}""",
        """{"model":"claude-sonnet-4","system":"Use tools.",""" + Tools + ""","tool_choice":{"type":"any"},"messages":[{"role":"user","content":"Find rivers."}]}""",
        """
        {"model":"claude-sonnet-4","system":"You are a geographer.","messages":[
          {"role":"user","content":[{"type":"text","text":"Find rivers."},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}}]},
          {"role":"assistant","content":[{"type":"text","text":"Let me search."},{"type":"tool_use","id":"toolu_1","name":"search","input":{"query":"rivers"}}]},
          {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"Nile, Amazon, Yangtze"}]}]},
          {"role":"assistant","content":"The longest are the Nile and the Amazon."},
          {"role":"user","content":"Which is longer?"}],
        """ + Tools + "}",
        """{"model":"claude-opus-4","thinking":{"type":"enabled","budget_tokens":2048},"messages":[{"role":"user","content":"Réfléchis: où coule le fleuve Jaune ? 黄河"}]}""",
    ];

    private SimHost? _host;

    /// <summary>The bodies above, one per case.</summary>
    public static TheoryData<string> Bodies => new(s_bodies);

    private Simulator Sim => _host!.Simulator;

    public async ValueTask InitializeAsync() => _host = await SimHost.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task CountTokens_SameBodyAsMessages_InputTokensEqualMessagesUsageForAnyMaxTokens(string body)
    {
        using var client = new SimTestClient();
        foreach (var http in new[] { _host!.Http, client.Http })
        {
            var (status, count, response) = await PostAsync(http, Path, body);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.StartsWith("req_", Header(response, "request-id"), StringComparison.Ordinal);
            Assert.Equal(["input_tokens"], count.EnumerateObject().Select(p => p.Name));
            var inputTokens = count.GetProperty("input_tokens").GetInt32();
            Assert.True(inputTokens > 3, $"input_tokens {inputTokens}");

            foreach (var maxTokens in (int[])[1, 7, 4096])
            {
                var (messageStatus, message, _) = await PostAsync(http, "/v1/messages", WithMaxTokens(body, maxTokens));
                Assert.Equal(HttpStatusCode.OK, messageStatus);
                Assert.Equal(message.GetProperty("usage").GetProperty("input_tokens").GetInt32(), inputTokens);
            }
        }
    }

    [Fact]
    public async Task CountTokens_SystemAndQuestion_PerMessageThreePlusQuarterBytesPlusThree()
    {
        var (_, body, _) = await PostAsync(_host!.Http, Path, s_bodies[0]);

        // "Be brief." (9 bytes → 3) and "Tell me about rivers." (21 bytes → 6), each plus 3, plus 3.
        Assert.Equal(3 + (3 + 3) + (3 + 6), body.GetProperty("input_tokens").GetInt32());
    }

    [Fact]
    public async Task CountTokens_SystemAsStringOrTextBlocks_SameCount()
    {
        var asString = await PostAsync(_host!.Http, Path, """{"model":"m","system":"Be brief.","messages":[{"role":"user","content":"Hello"}]}""");
        var asBlocks = await PostAsync(_host!.Http, Path, """{"model":"m","system":[{"type":"text","text":"Be "},{"type":"text","text":"brief."}],"messages":[{"role":"user","content":"Hello"}]}""");

        Assert.Equal(asString.Body.GetRawText(), asBlocks.Body.GetRawText());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CountTokens_NoAnthropicVersion_400InvalidRequest(bool inProcess)
    {
        using var client = new SimTestClient();
        var (status, body, _) = await PostAsync(inProcess ? client.Http : _host!.Http, Path, s_bodies[0], version: null);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertError(body, "invalid_request_error", "anthropic-version");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CountTokens_NoApiKey_401AuthenticationError(bool inProcess)
    {
        using var client = new SimTestClient();
        var (status, body, _) = await PostAsync(inProcess ? client.Http : _host!.Http, Path, s_bodies[0], apiKey: null);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        AssertError(body, "authentication_error", "x-api-key");
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}]}""", "model: Field required")]
    [InlineData("""{"model":"m"}""", "messages: Field required")]
    [InlineData("""{"model":"m","messages":[]}""", "messages")]
    [InlineData("""{"model":"m","messages":[{"role":"system","content":"Hi"}]}""", "messages.0.role")]
    [InlineData("""{"model":"m","messages":[{"role":"user"}]}""", "messages.0.content: Field required")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"Hi"}]}""", "max_tokens: Extra inputs are not permitted")]
    [InlineData("""{"model":"m","stream":true,"messages":[{"role":"user","content":"Hi"}]}""", "stream: Extra inputs are not permitted")]
    [InlineData("""{"model":"m","temperature":0.5,"messages":[{"role":"user","content":"Hi"}]}""", "temperature: Extra inputs are not permitted")]
    [InlineData("""{"model":"m","metadata":{"user_id":"u"},"messages":[{"role":"user","content":"Hi"}]}""", "metadata: Extra inputs are not permitted")]
    [InlineData("""{"model":"m","n":2,"messages":[{"role":"user","content":"Hi"}]}""", "n: Extra inputs are not permitted")]
    [InlineData("""{"model":"m","tools":[{"name":"t"}],"messages":[{"role":"user","content":"Hi"}]}""", "tools.0.input_schema: Field required")]
    [InlineData("""{"model":"m","tool_choice":{"type":"any"},"messages":[{"role":"user","content":"Hi"}]}""", "tool_choice")]
    [InlineData("""not json""", "JSON")]
    public async Task CountTokens_InvalidBody_400NamingTheField(string json, string expected)
    {
        var (status, body, _) = await PostAsync(_host!.Http, Path, json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertError(body, "invalid_request_error", expected);
    }

    [Fact]
    public async Task CountTokens_FieldsOnlyCountTokensTakes_AcceptedWithoutChangingTheCount()
    {
        var plain = await PostAsync(_host!.Http, Path, s_bodies[0]);
        var extra = await PostAsync(
            _host!.Http,
            Path,
            """
            {"model":"claude-sonnet-4","system":"Be brief.","messages":[{"role":"user","content":"Tell me about rivers."}],
             "cache_control":{"type":"ephemeral"},"output_config":{"effort":"low"},"mcp_servers":[{"type":"url","url":"https://mcp.example","name":"x"}]}
            """);

        Assert.Equal(HttpStatusCode.OK, extra.Status);
        Assert.Equal(plain.Body.GetRawText(), extra.Body.GetRawText());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CountTokens_SuspendedAccount_403PermissionErrorNamingSuspension(bool inProcess)
    {
        using var client = new SimTestClient();
        var sim = inProcess ? client.Simulator : Sim;
        sim.Configure(o => o.SuspendedAccount = true);
        var (status, body, _) = await PostAsync(inProcess ? client.Http : _host!.Http, Path, s_bodies[0]);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        AssertError(body, "permission_error", "suspended");
        Assert.Contains("deactivated", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CountTokens_ErrorRateFault_500ApiError()
    {
        Sim.Configure(o => o.ErrorRate = 1);
        var (status, body, _) = await PostAsync(_host!.Http, Path, s_bodies[0]);

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        AssertError(body, "api_error", "");
    }

    [Fact]
    public async Task CountTokens_RateLimitFault_429RateLimitErrorWithRetryAfter()
    {
        Sim.Configure(o =>
        {
            o.RateLimitRate = 1;
            o.RetryAfterSeconds = 3;
        });
        var (status, body, response) = await PostAsync(_host!.Http, Path, s_bodies[0]);

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta);
        AssertError(body, "rate_limit_error", "rate limit");
    }

    [Fact]
    public async Task CountTokens_OverloadedFault_529OverloadedErrorWithRetryAfter()
    {
        Sim.Configure(o =>
        {
            o.OverloadedRate = 1;
            o.RetryAfterSeconds = 2;
        });
        var (status, body, response) = await PostAsync(_host!.Http, Path, s_bodies[0]);

        Assert.Equal(529, (int)status);
        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
        AssertError(body, "overloaded_error", "Overloaded");
    }

    [Fact]
    public async Task CountTokens_FaultThenRetry_SecondAttemptCountedAndAnswered()
    {
        Sim.Configure(o => o.ErrorRate = 1);
        var first = await PostAsync(_host!.Http, Path, s_bodies[0], configure: r => r.Headers.Add("X-Charter-Request-Id", "ct-1"));
        Sim.Configure(o => o.ErrorRate = 0);
        var second = await PostAsync(_host!.Http, Path, s_bodies[0], configure: r => r.Headers.Add("X-Charter-Request-Id", "ct-1"));

        Assert.Equal(HttpStatusCode.InternalServerError, first.Status);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal(2, Sim.TimesSeen("ct-1"));
        Assert.Equal(2, Sim.RequestCountFor("anthropic", "messages_count_tokens"));
    }

    [Fact]
    public async Task CountTokens_DropFault_ConnectionAbortedHalfWay()
    {
        Sim.Configure(o => o.DropRate = 1);
        using var request = Request(Path, s_bodies[0], "k", "2023-06-01");
        var ex = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var response = await _host!.Http.SendAsync(request, SimTestClient.Ct);
            await response.Content.ReadAsStringAsync(SimTestClient.Ct);
        });

        Assert.True(ex is HttpRequestException or IOException, ex.GetType().Name);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RequestLog_CountTokens_CountedAsMessagesCountTokensApartFromMessages(bool inProcess)
    {
        using var client = new SimTestClient();
        var http = inProcess ? client.Http : _host!.Http;
        var sim = inProcess ? client.Simulator : Sim;
        await PostAsync(http, Path, s_bodies[0], configure: r => r.Headers.Add("X-Charter-Request-Id", "count-1"));
        await PostAsync(http, Path, s_bodies[2], version: null);
        await PostAsync(http, "/v1/messages", WithMaxTokens(s_bodies[0], 10));
        using var log = JsonDocument.Parse(await http.GetStringAsync("/_sim/requests", SimTestClient.Ct));

        var root = log.RootElement;
        Assert.Equal(3, root.GetProperty("count").GetInt64());
        Assert.Contains("count-1", root.GetProperty("request_ids").EnumerateArray().Select(e => e.GetString()));
        var routes = root.GetProperty("routes").EnumerateArray()
            .ToDictionary(r => r.GetProperty("flavor").GetString() + " " + r.GetProperty("endpoint").GetString(), r => r.GetProperty("count").GetInt64());
        Assert.Equal(2, routes["anthropic messages_count_tokens"]);
        Assert.Equal(1, routes["anthropic messages"]);
        Assert.Equal(2, routes.Count);
        Assert.Equal(2, sim.RequestCountFor("anthropic", "messages_count_tokens"));
        Assert.Equal(1, sim.RequestCountFor("anthropic", "messages"));
        Assert.Equal(0, sim.RequestCountFor("openai", "chat_completions"));
        Assert.Equal(3, sim.RequestCount);
    }

    [Fact]
    public async Task InProcessHandler_CountTokensUnderPrefix_RoutedAndCounted()
    {
        var sim = new Simulator(new SimulatorOptions());
        using var http = new HttpClient(new SimulatorHttpHandler(sim, "/sim")) { BaseAddress = new Uri("http://sim.test") };
        var (status, body, _) = await PostAsync(http, "/sim" + Path, s_bodies[0]);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3 + (3 + 3) + (3 + 6), body.GetProperty("input_tokens").GetInt32());
        Assert.Equal(1, sim.RequestCountFor("anthropic", "messages_count_tokens"));
    }

    /// <summary>The Messages body of a count_tokens body: <c>max_tokens</c> added first.</summary>
    private static string WithMaxTokens(string body, int maxTokens)
    {
        var brace = body.IndexOf('{', StringComparison.Ordinal);
        return body[..(brace + 1)] + "\"max_tokens\":" + maxTokens + "," + body[(brace + 1)..];
    }

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

    private static HttpRequestMessage Request(string path, string json, string? apiKey, string? version)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
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

    private static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PostAsync(
        HttpClient http, string path, string json, string? apiKey = "k", string? version = "2023-06-01", Action<HttpRequestMessage>? configure = null)
    {
        using var request = Request(path, json, apiKey, version);
        configure?.Invoke(request);
        var response = await http.SendAsync(request, SimTestClient.Ct);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(SimTestClient.Ct));
        return (response.StatusCode, doc.RootElement.Clone(), response);
    }
}

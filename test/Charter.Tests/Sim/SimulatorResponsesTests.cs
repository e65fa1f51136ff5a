// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Net;
using System.Text;
using System.Text.Json;
using Charter.Sim;
using Microsoft.Extensions.Time.Testing;

namespace Charter.Tests.Sim;

/// <summary>OpenAI's Responses API (<c>POST /v1/responses</c>, Azure <c>POST /openai/v1/responses</c>) through the in-process handler and over loopback HTTP.</summary>
public sealed class SimulatorResponsesTests
{
    private const string Path = "/v1/responses";

    private const string Tools = """
        ,"tools":[{"type":"function","name":"search","description":"Search the web","parameters":{"type":"object","properties":{"query":{"type":"string"}}},"strict":false},
                  {"type":"function","name":"lookup"}]
        """;

    private static readonly string[] s_textEvents =
    [
        "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
    ];

    [Fact]
    public async Task Responses_Valid_ResponseShapeAndUsage()
    {
        using var client = new SimTestClient();
        var (status, body, response) = await client.PostAsync(Path, Body());

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("req_", response.Headers.GetValues("x-request-id").First(), StringComparison.Ordinal);
        Assert.StartsWith("resp_", body.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("response", body.GetProperty("object").GetString());
        Assert.Equal("completed", body.GetProperty("status").GetString());
        Assert.True(body.GetProperty("created_at").GetInt64() > 1_600_000_000);
        Assert.Equal(JsonValueKind.Number, body.GetProperty("completed_at").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("error").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("incomplete_details").ValueKind);
        Assert.Equal("Be brief.", body.GetProperty("instructions").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("max_output_tokens").ValueKind);
        Assert.Equal("gpt-4o", body.GetProperty("model").GetString());

        var output = body.GetProperty("output");
        Assert.Equal(1, output.GetArrayLength());
        var item = output[0];
        Assert.Equal("message", item.GetProperty("type").GetString());
        Assert.StartsWith("msg_", item.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("completed", item.GetProperty("status").GetString());
        Assert.Equal("assistant", item.GetProperty("role").GetString());
        var part = item.GetProperty("content")[0];
        Assert.Equal("output_text", part.GetProperty("type").GetString());
        Assert.Equal(0, part.GetProperty("annotations").GetArrayLength());
        Assert.Equal(0, part.GetProperty("logprobs").GetArrayLength());
        var text = part.GetProperty("text").GetString()!;
        Assert.EndsWith(".", text, StringComparison.Ordinal);

        var usage = body.GetProperty("usage");
        var outputTokens = usage.GetProperty("output_tokens").GetInt32();
        Assert.Equal(text.Split(' ').Length, outputTokens);
        Assert.InRange(outputTokens, 16, 48);

        // input_tokens: per message 3 + ceil(UTF-8 bytes / 4), plus 3, with instructions as a system message ("Be brief." and the question).
        Assert.Equal(3 + (3 + 3) + (3 + 6), usage.GetProperty("input_tokens").GetInt32());
        Assert.Equal(usage.GetProperty("input_tokens").GetInt32() + outputTokens, usage.GetProperty("total_tokens").GetInt32());
        Assert.Equal(0, usage.GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32());
        Assert.Equal(0, usage.GetProperty("input_tokens_details").GetProperty("cache_write_tokens").GetInt32());
        Assert.Equal(0, usage.GetProperty("output_tokens_details").GetProperty("reasoning_tokens").GetInt32());
    }

    [Fact]
    public async Task Responses_NoOptionalMembers_EchoesTheApiDefaults()
    {
        using var client = new SimTestClient();
        var (_, body, _) = await client.PostAsync(Path, Body(instructions: null));

        Assert.Equal(JsonValueKind.Null, body.GetProperty("instructions").ValueKind);
        Assert.True(body.GetProperty("parallel_tool_calls").GetBoolean());
        Assert.True(body.GetProperty("store").GetBoolean());
        Assert.Equal(1, body.GetProperty("temperature").GetDouble());
        Assert.Equal(1, body.GetProperty("top_p").GetDouble());
        Assert.Equal("auto", body.GetProperty("tool_choice").GetString());
        Assert.Equal(0, body.GetProperty("tools").GetArrayLength());
        Assert.Equal("disabled", body.GetProperty("truncation").GetString());
        Assert.Equal("text", body.GetProperty("text").GetProperty("format").GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Object, body.GetProperty("metadata").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("previous_response_id").ValueKind);
        Assert.False(body.TryGetProperty("user", out _));
    }

    [Fact]
    public async Task Responses_OptionalMembers_Echoed()
    {
        using var client = new SimTestClient();
        var previous = (await client.PostAsync(Path, Body())).Body.GetProperty("id").GetString();
        var extra = """
            ,"temperature":0.5,"top_p":0.9,"store":false,"parallel_tool_calls":false,"previous_response_id":"PREVIOUS","user":"u1",
            "safety_identifier":"s1","prompt_cache_key":"k1","truncation":"auto","service_tier":"auto","max_output_tokens":100,
            "text":{"format":{"type":"json_object"}},"reasoning":{"effort":"low"},"metadata":{"run":"7"},"background":false,"top_logprobs":0
            """.Replace("PREVIOUS", previous, StringComparison.Ordinal);
        var (status, body, _) = await client.PostAsync(Path, Body(extra: extra));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0.5, body.GetProperty("temperature").GetDouble());
        Assert.Equal(0.9, body.GetProperty("top_p").GetDouble());
        Assert.False(body.GetProperty("store").GetBoolean());
        Assert.False(body.GetProperty("parallel_tool_calls").GetBoolean());
        Assert.Equal(previous, body.GetProperty("previous_response_id").GetString());
        Assert.Equal("u1", body.GetProperty("user").GetString());
        Assert.Equal("s1", body.GetProperty("safety_identifier").GetString());
        Assert.Equal("k1", body.GetProperty("prompt_cache_key").GetString());
        Assert.Equal("auto", body.GetProperty("truncation").GetString());
        Assert.Equal(100, body.GetProperty("max_output_tokens").GetInt32());
        Assert.Equal("json_object", body.GetProperty("text").GetProperty("format").GetProperty("type").GetString());
        Assert.Equal("low", body.GetProperty("reasoning").GetProperty("effort").GetString());
        Assert.Equal("7", body.GetProperty("metadata").GetProperty("run").GetString());
    }

    [Fact]
    public async Task Responses_SamePrompt_SameTextAndTokensAsChat()
    {
        using var client = new SimTestClient();
        var first = await client.PostAsync(Path, Body());
        var second = await client.PostAsync(Path, Body());
        var other = await client.PostAsync(Path, Body(input: "\"Tell me about lakes.\""));
        var chat = await client.PostAsync("/v1/chat/completions", SimTestClient.Chat("Tell me about rivers."));

        Assert.Equal(Text(first.Body), Text(second.Body));
        Assert.NotEqual(first.Body.GetProperty("id").GetString(), second.Body.GetProperty("id").GetString());
        Assert.NotEqual(Text(first.Body), Text(other.Body));
        Assert.Equal(SimulatorChatTests.Content(chat.Body, 0), Text(first.Body));
        var chatUsage = chat.Body.GetProperty("usage");
        var usage = first.Body.GetProperty("usage");
        Assert.Equal(chatUsage.GetProperty("prompt_tokens").GetInt32(), usage.GetProperty("input_tokens").GetInt32());
        Assert.Equal(chatUsage.GetProperty("completion_tokens").GetInt32(), usage.GetProperty("output_tokens").GetInt32());
        Assert.Equal(chatUsage.GetProperty("total_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task Responses_StringOrItemInput_SameAnswer()
    {
        using var client = new SimTestClient();
        var asString = await client.PostAsync(Path, Body(input: "\"Tell me about rivers.\""));
        var asMessage = await client.PostAsync(Path, Body(input: """[{"role":"user","content":"Tell me about rivers."}]"""));
        var asParts = await client.PostAsync(Path, Body(input: """[{"type":"message","role":"user","content":[{"type":"input_text","text":"Tell me "},{"type":"input_text","text":"about rivers."}]}]"""));
        var withImage = await client.PostAsync(Path, Body(input: """[{"role":"user","content":[{"type":"input_text","text":"Tell me about rivers."},{"type":"input_image","image_url":"https://example.test/a.png","detail":"auto"}]}]"""));

        Assert.Equal(HttpStatusCode.OK, asParts.Status);
        Assert.Equal(Text(asString.Body), Text(asMessage.Body));
        Assert.Equal(Text(asString.Body), Text(asParts.Body));
        Assert.Equal(Text(asString.Body), Text(withImage.Body));
        Assert.Equal(InputTokens(asString.Body), InputTokens(asParts.Body));
    }

    [Fact]
    public async Task Responses_Instructions_SameAsASystemMessageAndChangeTheAnswer()
    {
        using var client = new SimTestClient();
        var withInstructions = await client.PostAsync(Path, Body());
        var asSystemItem = await client.PostAsync(Path, Body(instructions: null, input: """[{"role":"system","content":"Be brief."},{"role":"user","content":"Tell me about rivers."}]"""));
        var without = await client.PostAsync(Path, Body(instructions: null));

        Assert.Equal(Text(withInstructions.Body), Text(asSystemItem.Body));
        Assert.Equal(InputTokens(withInstructions.Body), InputTokens(asSystemItem.Body));
        Assert.NotEqual(Text(withInstructions.Body), Text(without.Body));
        Assert.Equal(InputTokens(withInstructions.Body) - 6, InputTokens(without.Body));
    }

    [Fact]
    public async Task Responses_ConversationWithFunctionCalls_SameAnswerAsEquivalentChat()
    {
        using var client = new SimTestClient();
        const string input = """
            [{"role":"developer","content":"Use tools."},
             {"role":"user","content":"Find rivers."},
             {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Searching."}]},
             {"type":"function_call","call_id":"call_1","name":"search","arguments":"{\"query\":\"rivers\"}"},
             {"type":"function_call","call_id":"call_2","name":"search","arguments":"{\"query\":\"lakes\"}","id":"fc_2","status":"completed"},
             {"type":"function_call_output","call_id":"call_1","output":"Nile, Amazon"},
             {"type":"function_call_output","call_id":"call_2","output":[{"type":"input_text","text":"Baikal"}]},
             {"role":"user","content":"Summarise."}]
            """;
        const string chatJson = """
            {"model":"gpt-4o","messages":[
             {"role":"system","content":"Be brief."},
             {"role":"developer","content":"Use tools."},
             {"role":"user","content":"Find rivers."},
             {"role":"assistant","content":"Searching.","tool_calls":[
               {"id":"call_1","type":"function","function":{"name":"search","arguments":"{\"query\":\"rivers\"}"}},
               {"id":"call_2","type":"function","function":{"name":"search","arguments":"{\"query\":\"lakes\"}"}}]},
             {"role":"tool","tool_call_id":"call_1","content":"Nile, Amazon"},
             {"role":"tool","tool_call_id":"call_2","content":"Baikal"},
             {"role":"user","content":"Summarise."}]}
            """;
        var responses = await client.PostAsync(Path, Body(input: input));
        var chat = await client.PostAsync("/v1/chat/completions", chatJson);

        Assert.Equal(HttpStatusCode.OK, responses.Status);
        Assert.Equal(SimulatorChatTests.Content(chat.Body, 0), Text(responses.Body));
        Assert.Equal(chat.Body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(), InputTokens(responses.Body));
    }

    [Fact]
    public async Task Responses_MaxOutputTokensCuts_IncompleteWithPrefixOfUncutText()
    {
        using var client = new SimTestClient(new SimulatorOptions { MinCompletionTokens = 30, MaxCompletionTokens = 40 });
        var full = Text((await client.PostAsync(Path, Body())).Body);
        var (status, body, _) = await client.PostAsync(Path, Body(extra: ",\"max_output_tokens\":16"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("incomplete", body.GetProperty("status").GetString());
        Assert.Equal("max_output_tokens", body.GetProperty("incomplete_details").GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("completed_at").ValueKind);
        Assert.Equal(16, body.GetProperty("max_output_tokens").GetInt32());
        Assert.Equal("incomplete", body.GetProperty("output")[0].GetProperty("status").GetString());
        Assert.Equal(16, body.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        var text = Text(body);
        Assert.Equal(16, text.Split(' ').Length);
        Assert.StartsWith(text, full, StringComparison.Ordinal);
        Assert.NotEqual(full, text);
    }

    [Fact]
    public async Task Responses_MaxOutputTokensAboveAnswer_Completed()
    {
        using var client = new SimTestClient();
        var (_, body, _) = await client.PostAsync(Path, Body(extra: ",\"max_output_tokens\":1000"));

        Assert.Equal("completed", body.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("incomplete_details").ValueKind);
        Assert.EndsWith(".", Text(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Responses_IncludeLogprobs_OneEntryPerTokenWithTopLogprobs()
    {
        using var client = new SimTestClient();
        var (status, body, _) = await client.PostAsync(Path, Body(extra: ",\"include\":[\"message.output_text.logprobs\"],\"top_logprobs\":3"));

        Assert.Equal(HttpStatusCode.OK, status);
        var part = body.GetProperty("output")[0].GetProperty("content")[0];
        var logprobs = part.GetProperty("logprobs");
        Assert.Equal(body.GetProperty("usage").GetProperty("output_tokens").GetInt32(), logprobs.GetArrayLength());
        Assert.Equal(part.GetProperty("text").GetString(), string.Concat(logprobs.EnumerateArray().Select(e => e.GetProperty("token").GetString())));
        foreach (var entry in logprobs.EnumerateArray())
        {
            Assert.True(entry.GetProperty("logprob").GetDouble() < 0);
            Assert.Equal(Encoding.UTF8.GetByteCount(entry.GetProperty("token").GetString()!), entry.GetProperty("bytes").GetArrayLength());
            Assert.Equal(3, entry.GetProperty("top_logprobs").GetArrayLength());
            Assert.Equal(JsonValueKind.Array, entry.GetProperty("top_logprobs")[1].GetProperty("bytes").ValueKind);
        }

        Assert.Equal(3, body.GetProperty("top_logprobs").GetInt32());
    }

    [Fact]
    public async Task Responses_MetadataSimAnswer_MultipleChoiceAnswerLikeChat()
    {
        using var client = new SimTestClient(new SimulatorOptions { DefaultAccuracy = 1 });
        const string question = "Which is a river?\nA) Alps\nB) Nile\nC) Sahara";
        var input = JsonSerializer.Serialize(question);
        var (_, body, _) = await client.PostAsync(Path, Body(input: input, extra: ",\"metadata\":{\"sim_answer\":\"B\"}"));
        var chat = await client.PostAsync("/v1/chat/completions", SimTestClient.Chat(question, extra: ",\"metadata\":{\"sim_answer\":\"B\"}"));

        Assert.Equal("The answer is (B).", Text(body));
        Assert.Equal(SimulatorChatTests.Content(chat.Body, 0), Text(body));
        Assert.Equal("B", body.GetProperty("metadata").GetProperty("sim_answer").GetString());
    }

    [Fact]
    public async Task Responses_ToolChoiceFunction_FunctionCallItemOfNamedTool()
    {
        using var client = new SimTestClient();
        var (status, body, _) = await client.PostAsync(Path, Body(extra: Tools + ",\"tool_choice\":{\"type\":\"function\",\"name\":\"lookup\"}"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("completed", body.GetProperty("status").GetString());
        var output = body.GetProperty("output");
        Assert.Equal(1, output.GetArrayLength());
        var call = output[0];
        Assert.Equal("function_call", call.GetProperty("type").GetString());
        Assert.StartsWith("fc_", call.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("call_", call.GetProperty("call_id").GetString(), StringComparison.Ordinal);
        Assert.Equal("lookup", call.GetProperty("name").GetString());
        Assert.Equal("completed", call.GetProperty("status").GetString());
        using var arguments = JsonDocument.Parse(call.GetProperty("arguments").GetString()!);
        Assert.False(string.IsNullOrEmpty(arguments.RootElement.GetProperty("query").GetString()));

        Assert.Equal("function", body.GetProperty("tool_choice").GetProperty("type").GetString());
        Assert.Equal("lookup", body.GetProperty("tool_choice").GetProperty("name").GetString());
        var tools = body.GetProperty("tools");
        Assert.Equal(2, tools.GetArrayLength());
        Assert.Equal("search", tools[0].GetProperty("name").GetString());
        Assert.Equal("Search the web", tools[0].GetProperty("description").GetString());
        Assert.Equal("object", tools[0].GetProperty("parameters").GetProperty("type").GetString());
        Assert.False(tools[0].GetProperty("strict").GetBoolean());
        Assert.Equal(JsonValueKind.Null, tools[1].GetProperty("parameters").ValueKind);
        Assert.True(tools[1].GetProperty("strict").GetBoolean());
        var usage = body.GetProperty("usage");
        Assert.True(usage.GetProperty("output_tokens").GetInt32() > 0);
        Assert.Equal(usage.GetProperty("input_tokens").GetInt32() + usage.GetProperty("output_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task Responses_ToolChoiceRequired_FunctionCallOfFirstToolSameCallEachTime()
    {
        using var client = new SimTestClient();
        var first = await client.PostAsync(Path, Body(extra: Tools + ",\"tool_choice\":\"required\""));
        var second = await client.PostAsync(Path, Body(extra: Tools + ",\"tool_choice\":\"required\""));

        var call = first.Body.GetProperty("output")[0];
        Assert.Equal("function_call", call.GetProperty("type").GetString());
        Assert.Equal("search", call.GetProperty("name").GetString());
        Assert.Equal("required", first.Body.GetProperty("tool_choice").GetString());
        Assert.Equal(call.GetProperty("arguments").GetString(), second.Body.GetProperty("output")[0].GetProperty("arguments").GetString());
        Assert.Equal(call.GetProperty("call_id").GetString(), second.Body.GetProperty("output")[0].GetProperty("call_id").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData(",\"tool_choice\":\"auto\"")]
    [InlineData(",\"tool_choice\":\"none\"")]
    public async Task Responses_ToolsWithoutForcedChoice_TextAnswer(string choice)
    {
        using var client = new SimTestClient();
        var (status, body, _) = await client.PostAsync(Path, Body(extra: Tools + choice));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("message", body.GetProperty("output")[0].GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("""{"input":"x"}""", "model", "missing_required_parameter")]
    [InlineData("""{"model":"gpt-4o"}""", "input", "missing_required_parameter")]
    [InlineData("""{"model":5,"input":"x"}""", "model", "invalid_type")]
    [InlineData("""{"model":"gpt-4o","input":5}""", "input", "invalid_type")]
    [InlineData("""{"model":"gpt-4o","input":[5]}""", "input[0]", "invalid_type")]
    [InlineData("""{"model":"gpt-4o","input":[{"role":"user","content":5}]}""", "input[0].content", "invalid_type")]
    [InlineData("""{"model":"gpt-4o","input":[{"role":"user"}]}""", "input[0].content", "missing_required_parameter")]
    [InlineData("""{"model":"gpt-4o","input":[{"content":"x"}]}""", "input[0].role", "missing_required_parameter")]
    [InlineData("""{"model":"gpt-4o","input":[{"role":"tool","content":"x"}]}""", "input[0].role", "invalid_value")]
    [InlineData("""{"model":"gpt-4o","input":[{"role":"user","content":"a"},{"role":"user","content":"b"},{"role":"user","content":[{"type":"input_text"}]}]}""", "input[2].content[0].text", "missing_required_parameter")]
    [InlineData("""{"model":"gpt-4o","input":[{"role":"user","content":[{"type":"input_text","text":5}]}]}""", "input[0].content[0].text", "invalid_type")]
    [InlineData("""{"model":"gpt-4o","input":[{"role":"user","content":[{"text":"x"}]}]}""", "input[0].content[0].type", "missing_required_parameter")]
    [InlineData("""{"model":"gpt-4o","input":[{"role":"user","content":[{"type":"video"}]}]}""", "input[0].content[0].type", "invalid_value")]
    [InlineData("""{"model":"gpt-4o","input":[{"role":"assistant","content":[{"type":"input_text","text":"x"}]}]}""", "input[0].content[0].type", "invalid_value")]
    [InlineData("""{"model":"gpt-4o","input":[{"role":"user","content":[{"type":"output_text","text":"x"}]}]}""", "input[0].content[0].type", "invalid_value")]
    [InlineData("""{"model":"gpt-4o","input":[{"role":"user","content":["x"]}]}""", "input[0].content[0]", "invalid_type")]
    [InlineData("""{"model":"gpt-4o","input":[{"type":"function_call","call_id":"c","name":"f"}]}""", "input[0].arguments", "missing_required_parameter")]
    [InlineData("""{"model":"gpt-4o","input":[{"type":"function_call","call_id":"c","name":"f","arguments":{}}]}""", "input[0].arguments", "invalid_type")]
    [InlineData("""{"model":"gpt-4o","input":[{"type":"function_call","name":"f","arguments":"{}"}]}""", "input[0].call_id", "missing_required_parameter")]
    [InlineData("""{"model":"gpt-4o","input":[{"type":"function_call_output","call_id":"c"}]}""", "input[0].output", "missing_required_parameter")]
    [InlineData("""{"model":"gpt-4o","input":[{"type":"function_call_output","call_id":"c","output":5}]}""", "input[0].output", "invalid_type")]
    [InlineData("""{"model":"gpt-4o","input":[{"type":"function_call_output","call_id":"c","output":[{"type":"output_text","text":"x"}]}]}""", "input[0].output[0].type", "invalid_value")]
    [InlineData("""{"model":"gpt-4o","input":[{"type":"function_call_output","call_id":"c","output":[5]}]}""", "input[0].output[0]", "invalid_type")]
    [InlineData("""{"model":"gpt-4o","input":[{"type":"function_call_output","call_id":"c","output":"x","content":"y"}]}""", "input[0].content", "unknown_parameter")]
    [InlineData("""{"model":"gpt-4o","input":[{"type":"reasoning","summary":[]}]}""", "input[0].type", "invalid_value")]
    [InlineData("""{"model":"gpt-4o","input":[{"role":"user","content":"x","tool_call_id":"c"}]}""", "input[0].tool_call_id", "unknown_parameter")]
    [InlineData("""{"model":"gpt-4o","input":"x","instructions":5}""", "instructions", "invalid_type")]
    [InlineData("""{"model":"gpt-4o","input":"x","max_output_tokens":15}""", "max_output_tokens", "integer_below_min_value")]
    [InlineData("""{"model":"gpt-4o","input":"x","max_output_tokens":"16"}""", "max_output_tokens", "invalid_type")]
    [InlineData("""{"model":"gpt-4o","input":"x","temperature":2.5}""", "temperature", "decimal_above_max_value")]
    [InlineData("""{"model":"gpt-4o","input":"x","top_p":-0.1}""", "top_p", "decimal_below_min_value")]
    [InlineData("""{"model":"gpt-4o","input":"x","top_logprobs":21}""", "top_logprobs", "integer_above_max_value")]
    [InlineData("""{"model":"gpt-4o","input":"x","stream":"yes"}""", "stream", "invalid_type")]
    [InlineData("""{"model":"gpt-4o","input":"x","stream_options":{"include_obfuscation":false}}""", "stream_options", "invalid_value")]
    [InlineData("""{"model":"gpt-4o","input":"x","tools":{}}""", "tools", "invalid_type")]
    [InlineData("""{"model":"gpt-4o","input":"x","tools":[{"type":"web_search"}]}""", "tools[0].type", "invalid_value")]
    [InlineData("""{"model":"gpt-4o","input":"x","tools":[{"type":"function"}]}""", "tools[0].name", "missing_required_parameter")]
    [InlineData("""{"model":"gpt-4o","input":"x","tools":[{"name":"f"}]}""", "tools[0].type", "missing_required_parameter")]
    [InlineData("""{"model":"gpt-4o","input":"x","tools":[{"type":"function","name":"f","parameters":[]}]}""", "tools[0].parameters", "invalid_type")]
    [InlineData("""{"model":"gpt-4o","input":"x","tools":[{"type":"function","function":{"name":"f"}}]}""", "tools[0].function", "unknown_parameter")]
    [InlineData("""{"model":"gpt-4o","input":"x","tools":[{"type":"function","name":"f","strict":"yes"}]}""", "tools[0].strict", "invalid_type")]
    [InlineData("""{"model":"gpt-4o","input":"x","tools":[{"type":"function","name":"f","description":5}]}""", "tools[0].description", "invalid_type")]
    [InlineData("""{"model":"gpt-4o","input":"x","tool_choice":"sometimes"}""", "tool_choice", "invalid_value")]
    [InlineData("""{"model":"gpt-4o","input":"x","tool_choice":"required"}""", "tool_choice", "invalid_value")]
    [InlineData("""{"model":"gpt-4o","input":"x","tools":[{"type":"function","name":"f"}],"tool_choice":{"type":"function","name":"g"}}""", "tool_choice", "invalid_value")]
    [InlineData("""{"model":"gpt-4o","input":"x","tools":[{"type":"function","name":"f"}],"tool_choice":{"type":"function"}}""", "tool_choice.name", "missing_required_parameter")]
    [InlineData("""{"model":"gpt-4o","input":"x","tools":[{"type":"function","name":"f"}],"tool_choice":{"type":"function","function":{"name":"f"}}}""", "tool_choice.function", "unknown_parameter")]
    [InlineData("""{"model":"gpt-4o","input":"x","parallel_tool_calls":"yes"}""", "parallel_tool_calls", "invalid_type")]
    [InlineData("""{"model":"gpt-4o","input":"x","previous_response_id":5}""", "previous_response_id", "invalid_type")]
    [InlineData("""{"model":"gpt-4o","input":"x","store":1}""", "store", "invalid_type")]
    [InlineData("""{"model":"gpt-4o","input":"x","metadata":{"a":1}}""", "metadata.a", "invalid_type")]
    [InlineData("""{"model":"gpt-4o","input":"x","metadata":[]}""", "metadata", "invalid_type")]
    [InlineData("""{"model":"gpt-4o","input":"x","include":["nope"]}""", "include[0]", "invalid_value")]
    [InlineData("""{"model":"gpt-4o","input":"x","include":"message.output_text.logprobs"}""", "include", "invalid_type")]
    [InlineData("""{"model":"gpt-4o","input":"x","text":"plain"}""", "text", "invalid_type")]
    [InlineData("""{"model":"gpt-4o","input":"x","reasoning":"high"}""", "reasoning", "invalid_type")]
    [InlineData("""{"model":"gpt-4o","input":"x","truncation":"sometimes"}""", "truncation", "invalid_value")]
    [InlineData("""{"model":"gpt-4o","input":"x","service_tier":"gold"}""", "service_tier", "invalid_value")]
    [InlineData("""{"model":"gpt-4o","input":"x","background":true}""", "background", "invalid_value")]
    [InlineData("""{"model":"gpt-4o","input":"x","user":5}""", "user", "invalid_type")]
    public async Task Responses_InvalidRequest_400NamingTheParam(string json, string param, string code)
    {
        using var client = new SimTestClient();
        var (status, body, response) = await client.PostAsync(Path, json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(response.Headers.GetValues("x-request-id").First());
        var error = body.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
    }

    [Theory]
    [InlineData("foo")]
    [InlineData("messages")]
    [InlineData("max_tokens")]
    [InlineData("n")]
    [InlineData("stop")]
    [InlineData("response_format")]
    public async Task Responses_UnknownParameter_400UnknownParameterLikeTheRealApi(string member)
    {
        using var client = new SimTestClient();
        var (status, body, _) = await client.PostAsync(Path, Body(extra: $",\"{member}\":1"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = body.GetProperty("error");
        Assert.Equal($"Unknown parameter: '{member}'.", error.GetProperty("message").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(member, error.GetProperty("param").GetString());
        Assert.Equal("unknown_parameter", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Responses_MalformedJson_400InvalidRequest()
    {
        using var client = new SimTestClient();
        var (status, body, _) = await client.PostAsync(Path, "{\"model\":\"gpt-4o\",");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_request_error", body.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("error").GetProperty("param").ValueKind);
    }

    [Fact]
    public async Task Stream_Text_EventOrderSequenceNumbersAndTextOfTheWholeAnswer()
    {
        using var client = new SimTestClient();
        var whole = (await client.PostAsync(Path, Body())).Body;
        var events = await StreamAsync(client, Body(extra: ",\"stream\":true"));

        var deltas = events.Count(e => e.Type == "response.output_text.delta");
        Assert.Equal(whole.GetProperty("usage").GetProperty("output_tokens").GetInt32(), deltas);
        string[] expected =
        [
            .. s_textEvents,
            .. Enumerable.Repeat("response.output_text.delta", deltas),
            "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed",
        ];
        Assert.Equal(expected, events.Select(e => e.Type));
        for (var i = 0; i < events.Count; i++)
        {
            Assert.Equal(events[i].Type, events[i].Data.GetProperty("type").GetString());
            Assert.Equal(i, events[i].Data.GetProperty("sequence_number").GetInt32());
        }

        var created = events[0].Data.GetProperty("response");
        Assert.Equal("in_progress", created.GetProperty("status").GetString());
        Assert.Equal(0, created.GetProperty("output").GetArrayLength());
        Assert.StartsWith("resp_", created.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("in_progress", events[1].Data.GetProperty("response").GetProperty("status").GetString());

        var added = events[2].Data;
        Assert.Equal(0, added.GetProperty("output_index").GetInt32());
        var itemId = added.GetProperty("item").GetProperty("id").GetString();
        Assert.Equal("in_progress", added.GetProperty("item").GetProperty("status").GetString());
        Assert.Equal(0, added.GetProperty("item").GetProperty("content").GetArrayLength());
        Assert.Equal("", events[3].Data.GetProperty("part").GetProperty("text").GetString());

        var text = new StringBuilder();
        foreach (var (_, data) in events.Where(e => e.Type == "response.output_text.delta"))
        {
            Assert.Equal(itemId, data.GetProperty("item_id").GetString());
            Assert.Equal(0, data.GetProperty("output_index").GetInt32());
            Assert.Equal(0, data.GetProperty("content_index").GetInt32());
            Assert.Equal(0, data.GetProperty("logprobs").GetArrayLength());
            text.Append(data.GetProperty("delta").GetString());
        }

        var wholeText = Text(whole);
        Assert.Equal(wholeText, text.ToString());
        Assert.Equal(wholeText, events[^4].Data.GetProperty("text").GetString());
        Assert.Equal(wholeText, events[^3].Data.GetProperty("part").GetProperty("text").GetString());
        Assert.Equal("completed", events[^2].Data.GetProperty("item").GetProperty("status").GetString());
        var completed = events[^1].Data.GetProperty("response");
        Assert.Equal("completed", completed.GetProperty("status").GetString());
        Assert.Equal(created.GetProperty("id").GetString(), completed.GetProperty("id").GetString());
        Assert.Equal(wholeText, Text(completed));
        Assert.Equal(whole.GetProperty("usage").GetRawText(), completed.GetProperty("usage").GetRawText());
        Assert.False(created.TryGetProperty("usage", out _));
    }

    [Fact]
    public async Task Stream_MaxOutputTokens_EndsWithResponseIncomplete()
    {
        using var client = new SimTestClient(new SimulatorOptions { MinCompletionTokens = 30, MaxCompletionTokens = 40 });
        var events = await StreamAsync(client, Body(extra: ",\"stream\":true,\"max_output_tokens\":16"));

        Assert.Equal(16, events.Count(e => e.Type == "response.output_text.delta"));
        Assert.Equal("response.incomplete", events[^1].Type);
        Assert.DoesNotContain(events, e => e.Type == "response.completed");
        var response = events[^1].Data.GetProperty("response");
        Assert.Equal("incomplete", response.GetProperty("status").GetString());
        Assert.Equal("max_output_tokens", response.GetProperty("incomplete_details").GetProperty("reason").GetString());
        Assert.Equal("incomplete", events[^2].Data.GetProperty("item").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Stream_Logprobs_EachDeltaCarriesItsToken()
    {
        using var client = new SimTestClient();
        var events = await StreamAsync(client, Body(extra: ",\"stream\":true,\"include\":[\"message.output_text.logprobs\"],\"top_logprobs\":2"));

        foreach (var (_, data) in events.Where(e => e.Type == "response.output_text.delta"))
        {
            var logprobs = data.GetProperty("logprobs");
            Assert.Equal(1, logprobs.GetArrayLength());
            Assert.Equal(data.GetProperty("delta").GetString(), logprobs[0].GetProperty("token").GetString());
            Assert.Equal(2, logprobs[0].GetProperty("top_logprobs").GetArrayLength());
        }

        var done = events.Single(e => e.Type == "response.output_text.done").Data;
        Assert.Equal(events.Count(e => e.Type == "response.output_text.delta"), done.GetProperty("logprobs").GetArrayLength());
    }

    [Fact]
    public async Task Stream_ForcedFunctionCall_ArgumentsDeltasConcatenateToTheWholeCall()
    {
        using var client = new SimTestClient();
        var json = Body(extra: Tools + ",\"tool_choice\":\"required\"");
        var whole = (await client.PostAsync(Path, json)).Body.GetProperty("output")[0];
        var events = await StreamAsync(client, json[..^1] + ",\"stream\":true}");

        Assert.Equal(
            [
                "response.created", "response.in_progress", "response.output_item.added",
                "response.function_call_arguments.delta", "response.function_call_arguments.delta", "response.function_call_arguments.delta",
                "response.function_call_arguments.done", "response.output_item.done", "response.completed",
            ],
            events.Select(e => e.Type));
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.Data.GetProperty("sequence_number").GetInt32()));
        var added = events[2].Data.GetProperty("item");
        Assert.Equal("function_call", added.GetProperty("type").GetString());
        Assert.Equal("", added.GetProperty("arguments").GetString());
        Assert.Equal("search", added.GetProperty("name").GetString());
        var arguments = string.Concat(events.Where(e => e.Type == "response.function_call_arguments.delta").Select(e => e.Data.GetProperty("delta").GetString()));
        Assert.Equal(whole.GetProperty("arguments").GetString(), arguments);
        var done = events[6].Data;
        Assert.Equal(arguments, done.GetProperty("arguments").GetString());
        Assert.Equal("search", done.GetProperty("name").GetString());
        Assert.Equal(added.GetProperty("id").GetString(), done.GetProperty("item_id").GetString());
        Assert.Equal(whole.GetProperty("call_id").GetString(), events[7].Data.GetProperty("item").GetProperty("call_id").GetString());
        Assert.Equal("function_call", events[^1].Data.GetProperty("response").GetProperty("output")[0].GetProperty("type").GetString());
    }

    [Fact]
    public async Task Stream_StreamErrorFault_ErrorEventHalfWayAndNoCompleted()
    {
        using var client = new SimTestClient(new SimulatorOptions { StreamErrorRate = 1 });
        var events = await StreamAsync(client, Body(extra: ",\"stream\":true"));

        Assert.Equal("error", events[^1].Type);
        var error = events[^1].Data;
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal("server_error", error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.Equal(events.Count - 1, error.GetProperty("sequence_number").GetInt32());
        Assert.Contains(events, e => e.Type == "response.output_text.delta");
        Assert.DoesNotContain(events, e => e.Type is "response.completed" or "response.output_text.done");
    }

    [Fact]
    public async Task Stream_DropFault_ReadingThrowsBeforeTheEnd()
    {
        using var client = new SimTestClient(new SimulatorOptions { DropRate = 1 });
        using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = Json(Body(extra: ",\"stream\":true")) };
        using var response = await client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, SimTestClient.Ct);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(SimTestClient.Ct));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => reader.ReadToEndAsync(SimTestClient.Ct));
        Assert.True(ex is IOException or HttpRequestException, ex.GetType().Name);
    }

    [Fact]
    public async Task Stream_DropFaultOverHttp_ConnectionAborted()
    {
        await using var host = await SimHost.StartAsync();
        host.Simulator.Configure(o => o.DropRate = 1);
        using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = Json(Body(extra: ",\"stream\":true")) };

        var ex = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var response = await host.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, SimTestClient.Ct);
            await response.Content.ReadAsStringAsync(SimTestClient.Ct);
        });

        Assert.True(ex is HttpRequestException or IOException, ex.GetType().Name);
    }

    [Fact]
    public async Task Responses_DropFault_ConnectionAbortedHalfWayThroughTheBody()
    {
        using var client = new SimTestClient(new SimulatorOptions { DropRate = 1 });
        using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = Json(Body()) };

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => client.Http.SendAsync(request, SimTestClient.Ct));
        Assert.True(ex is HttpRequestException or IOException, ex.GetType().Name);
    }

    [Fact]
    public async Task Stream_TimeToFirstToken_NothingBeforeTheClockThenTokensArrive()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20000));
        using var client = new SimTestClient(new SimulatorOptions { TimeToFirstTokenMs = 1000, TokensPerSecond = 10 }, clock);
        var (first, _) = await PacedStream.ReadAsync(client, clock, Path, Body(extra: ",\"stream\":true"), "event: response.completed");

        Assert.StartsWith("event: response.created\n", first, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(SimulatorOptions.RateLimitRate), HttpStatusCode.TooManyRequests, "requests", "rate_limit_exceeded")]
    [InlineData(nameof(SimulatorOptions.OverloadedRate), HttpStatusCode.ServiceUnavailable, "server_error", null)]
    public async Task Responses_RetryableFault_StatusWithRetryAfter(string rate, HttpStatusCode expected, string type, string? code)
    {
        var options = new SimulatorOptions { RetryAfterSeconds = 3 };
        typeof(SimulatorOptions).GetProperty(rate)!.SetValue(options, 1.0);
        using var client = new SimTestClient(options);
        var (status, body, response) = await client.PostAsync(Path, Body());

        Assert.Equal(expected, status);
        Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta);
        var error = body.GetProperty("error");
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Responses_ErrorRateFault_500ServerError()
    {
        using var client = new SimTestClient(new SimulatorOptions { ErrorRate = 1 });
        var (status, body, _) = await client.PostAsync(Path, Body(extra: ",\"stream\":true"));

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("server_error", body.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Responses_SuspendedAccount_403AccountDeactivated()
    {
        using var client = new SimTestClient(new SimulatorOptions { SuspendedAccount = true });
        var (status, body, _) = await client.PostAsync(Path, Body());

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("account_deactivated", body.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("suspended", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AzureV1_Responses_KeyRequiredAndCountedAsAzureV1()
    {
        using var client = new SimTestClient();
        var noKey = await client.PostAsync("/openai/v1/responses", Body(model: "my-deployment"));
        var withKey = await client.PostAsync("/openai/v1/responses", Body(model: "my-deployment"), r => r.Headers.Add("api-key", "k"));
        var bearer = await client.PostAsync("/openai/v1/responses", Body(model: "my-deployment"), r => r.Headers.Add("Authorization", "Bearer t"));
        var openAi = await client.PostAsync(Path, Body(model: "my-deployment"));

        Assert.Equal(HttpStatusCode.Unauthorized, noKey.Status);
        Assert.Equal("401", noKey.Body.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, withKey.Status);
        Assert.Equal(HttpStatusCode.OK, bearer.Status);
        Assert.Equal("my-deployment", withKey.Body.GetProperty("model").GetString());
        Assert.Equal(Text(openAi.Body), Text(withKey.Body));
        Assert.Equal(3, client.Simulator.RequestCountFor("azure_v1", "responses"));
        Assert.Equal(1, client.Simulator.RequestCountFor("openai", "responses"));
        Assert.Equal(0, client.Simulator.RequestCountFor("openai", "chat_completions"));
    }

    [Fact]
    public async Task AzureClassic_Responses_NotARoute()
    {
        using var client = new SimTestClient();
        using var response = await client.Http.PostAsync("/openai/deployments/d/responses?api-version=2024-10-21", Json(Body()), SimTestClient.Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, client.Simulator.RequestCount);
    }

    [Fact]
    public async Task RequestLog_Responses_RecordedWithEndpointResponsesAndCharterId()
    {
        await using var host = await SimHost.StartAsync();
        using (var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = Json(Body()) })
        {
            request.Headers.Add("X-Charter-Request-Id", "resp-1");
            using var response = await host.Http.SendAsync(request, SimTestClient.Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var azure = new HttpRequestMessage(HttpMethod.Post, "/openai/v1/responses") { Content = Json(Body()) })
        {
            azure.Headers.Add("api-key", "k");
            using var response = await host.Http.SendAsync(azure, SimTestClient.Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var chat = await host.Http.PostAsync("/v1/chat/completions", Json(SimTestClient.Chat("Hello")), SimTestClient.Ct);
        using var log = JsonDocument.Parse(await host.Http.GetStringAsync("/_sim/requests", SimTestClient.Ct));

        var root = log.RootElement;
        Assert.Equal(3, root.GetProperty("count").GetInt64());
        Assert.Contains("resp-1", root.GetProperty("request_ids").EnumerateArray().Select(e => e.GetString()));
        var routes = root.GetProperty("routes").EnumerateArray()
            .ToDictionary(r => r.GetProperty("flavor").GetString() + " " + r.GetProperty("endpoint").GetString(), r => r.GetProperty("count").GetInt64());
        Assert.Equal(1, routes["openai responses"]);
        Assert.Equal(1, routes["azure_v1 responses"]);
        Assert.Equal(1, routes["openai chat_completions"]);
        Assert.Equal(1, host.Simulator.TimesSeen("resp-1"));
    }

    [Fact]
    public async Task Host_Stream_SameEventsAsInProcess()
    {
        await using var host = await SimHost.StartAsync();
        using var client = new SimTestClient();
        var json = Body(extra: ",\"stream\":true");
        using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = Json(json) };
        using var response = await host.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, SimTestClient.Ct);
        var overHttp = ParseEvents(await response.Content.ReadAsStringAsync(SimTestClient.Ct));
        var inProcess = await StreamAsync(client, json);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(inProcess.Select(e => e.Type), overHttp.Select(e => e.Type));
        Assert.Equal(
            inProcess.Where(e => e.Type == "response.output_text.delta").Select(e => e.Data.GetProperty("delta").GetString()),
            overHttp.Where(e => e.Type == "response.output_text.delta").Select(e => e.Data.GetProperty("delta").GetString()));
    }

    private static string Body(string input = "\"Tell me about rivers.\"", string? instructions = "Be brief.", string model = "gpt-4o", string extra = "") =>
        "{\"model\":\"" + model + "\""
        + (instructions is null ? string.Empty : ",\"instructions\":" + JsonSerializer.Serialize(instructions))
        + ",\"input\":" + input + extra + "}";

    private static string Text(JsonElement response) =>
        response.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString()!;

    private static int InputTokens(JsonElement response) => response.GetProperty("usage").GetProperty("input_tokens").GetInt32();

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Parses named SSE events; asserts the framing and that there is no <c>[DONE]</c>.</summary>
    private static List<(string Type, JsonElement Data)> ParseEvents(string sse)
    {
        Assert.DoesNotContain("[DONE]", sse, StringComparison.Ordinal);
        return SimSse.ParseNamedEvents(sse);
    }

    private static async Task<List<(string Type, JsonElement Data)>> StreamAsync(SimTestClient client, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = Json(json) };
        using var response = await client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, SimTestClient.Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.GetValues("x-request-id").First());
        return ParseEvents(await response.Content.ReadAsStringAsync(SimTestClient.Ct));
    }
}

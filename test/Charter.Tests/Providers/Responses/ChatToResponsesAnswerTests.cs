// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using System.Text.Json;
using Charter.Providers.Anthropic;
using Charter.Providers.Responses;

namespace Charter.Tests.Providers.Responses;

public sealed class ChatToResponsesAnswerTests
{
    private const string Request = """
        {"model":"claude-x","instructions":"Be brief.","input":"hi","max_output_tokens":64,"temperature":0.5,"top_p":0.8,
         "tools":[{"type":"function","name":"get_weather","parameters":{"type":"object"}}],"tool_choice":"auto","parallel_tool_calls":false,
         "text":{"format":{"type":"json_object"}},"metadata":{"k":"v"},"store":false,"user":"u1","truncation":"auto"}
        """;

    private const string TextCompletion = """
        {"id":"chatcmpl-abc","object":"chat.completion","created":1700000000,"model":"claude-x",
         "choices":[{"index":0,"message":{"role":"assistant","content":"Hello \"world\" é","refusal":null},"logprobs":null,"finish_reason":"stop"}],
         "usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17,"prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":0}}}
        """;

    private const string ToolCompletion = """
        {"id":"chatcmpl-t","object":"chat.completion","created":1700000000,"model":"claude-x",
         "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
            {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
            {"id":"call_2","type":"function","function":{"name":"get_time","arguments":"{}"}}]},"finish_reason":"tool_calls"}],
         "usage":{"prompt_tokens":10,"completion_tokens":20,"total_tokens":30}}
        """;

    private static ResponsesEcho Echo(string request = Request) => ResponsesEcho.FromRequest(Encoding.UTF8.GetBytes(request), "resp_abc", 1_700_000_001);

    private static JsonElement Translate(string completion, string request = Request)
    {
        var output = new ArrayBufferWriter<byte>();
        var echo = Echo(request);
        Assert.True(ChatToResponsesAnswer.TryTranslate(Encoding.UTF8.GetBytes(completion), echo, output));
        using var document = JsonDocument.Parse(output.WrittenMemory);
        var root = document.RootElement.Clone();
        ResponsesShapes.AssertResponse(root, final: true);
        return root;
    }

    [Fact]
    public void TryTranslate_TextCompletion_OneMessageItem()
    {
        var root = Translate(TextCompletion);

        Assert.Equal("resp_abc", root.GetProperty("id").GetString());
        Assert.Equal(1_700_000_001, root.GetProperty("created_at").GetInt64());
        Assert.Equal(1_700_000_001, root.GetProperty("completed_at").GetInt64());
        Assert.Equal("completed", root.GetProperty("status").GetString());
        Assert.Equal("claude-x", root.GetProperty("model").GetString());
        var output = root.GetProperty("output");
        Assert.Equal(1, output.GetArrayLength());
        var item = output[0];
        Assert.Equal("message", item.GetProperty("type").GetString());
        Assert.Equal("msg_abc", item.GetProperty("id").GetString());
        Assert.Equal("completed", item.GetProperty("status").GetString());
        var part = item.GetProperty("content")[0];
        Assert.Equal("output_text", part.GetProperty("type").GetString());
        Assert.Equal("Hello \"world\" é", part.GetProperty("text").GetString());
        Assert.Equal(0, part.GetProperty("logprobs").GetArrayLength());
    }

    [Fact]
    public void TryTranslate_Usage_Mapped()
    {
        var usage = Translate(TextCompletion).GetProperty("usage");

        Assert.Equal(12, usage.GetProperty("input_tokens").GetInt32());
        Assert.Equal(4, usage.GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32());
        Assert.Equal(5, usage.GetProperty("output_tokens").GetInt32());
        Assert.Equal(0, usage.GetProperty("output_tokens_details").GetProperty("reasoning_tokens").GetInt32());
        Assert.Equal(17, usage.GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public void TryTranslate_RequestMembers_Echoed()
    {
        var root = Translate(TextCompletion);

        Assert.Equal("Be brief.", root.GetProperty("instructions").GetString());
        Assert.Equal(64, root.GetProperty("max_output_tokens").GetInt32());
        Assert.Equal(0.5, root.GetProperty("temperature").GetDouble());
        Assert.Equal(0.8, root.GetProperty("top_p").GetDouble());
        Assert.False(root.GetProperty("parallel_tool_calls").GetBoolean());
        Assert.False(root.GetProperty("store").GetBoolean());
        Assert.Equal("auto", root.GetProperty("tool_choice").GetString());
        Assert.Equal("auto", root.GetProperty("truncation").GetString());
        Assert.Equal("json_object", root.GetProperty("text").GetProperty("format").GetProperty("type").GetString());
        Assert.Equal("v", root.GetProperty("metadata").GetProperty("k").GetString());
        Assert.Equal("u1", root.GetProperty("user").GetString());
        var tool = root.GetProperty("tools")[0];
        Assert.Equal("function", tool.GetProperty("type").GetString());
        Assert.Equal("get_weather", tool.GetProperty("name").GetString());
        Assert.True(tool.GetProperty("strict").GetBoolean());
        Assert.Equal(JsonValueKind.Null, tool.GetProperty("description").ValueKind);
    }

    [Fact]
    public void TryTranslate_MinimalRequest_Defaults()
    {
        var root = Translate(TextCompletion, """{"model":"m","input":"x"}""");

        Assert.Equal(JsonValueKind.Null, root.GetProperty("instructions").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("max_output_tokens").ValueKind);
        Assert.Equal(1, root.GetProperty("temperature").GetDouble());
        Assert.Equal(1, root.GetProperty("top_p").GetDouble());
        Assert.True(root.GetProperty("parallel_tool_calls").GetBoolean());
        Assert.True(root.GetProperty("store").GetBoolean());
        Assert.Equal("auto", root.GetProperty("tool_choice").GetString());
        Assert.Equal(0, root.GetProperty("tools").GetArrayLength());
        Assert.Equal("disabled", root.GetProperty("truncation").GetString());
        Assert.Equal("text", root.GetProperty("text").GetProperty("format").GetProperty("type").GetString());
        Assert.False(root.TryGetProperty("user", out _));
        Assert.Empty(root.GetProperty("metadata").EnumerateObject());
    }

    [Fact]
    public void TryTranslate_ToolCalls_FunctionCallItemsWithoutMessage()
    {
        var root = Translate(ToolCompletion);

        Assert.Equal("completed", root.GetProperty("status").GetString());
        var output = root.GetProperty("output");
        Assert.Equal(2, output.GetArrayLength());
        Assert.Equal("function_call", output[0].GetProperty("type").GetString());
        Assert.Equal("fc_abc_0", output[0].GetProperty("id").GetString());
        Assert.Equal("call_1", output[0].GetProperty("call_id").GetString());
        Assert.Equal("get_weather", output[0].GetProperty("name").GetString());
        Assert.Equal("{\"city\":\"Paris\"}", output[0].GetProperty("arguments").GetString());
        Assert.Equal("completed", output[0].GetProperty("status").GetString());
        Assert.Equal("fc_abc_1", output[1].GetProperty("id").GetString());
        Assert.Equal("call_2", output[1].GetProperty("call_id").GetString());
        Assert.Equal("{}", output[1].GetProperty("arguments").GetString());
    }

    [Fact]
    public void TryTranslate_TextAndToolCalls_MessageFirst()
    {
        var root = Translate(ToolCompletion.Replace("\"content\":null", "\"content\":\"Let me check.\"", StringComparison.Ordinal));

        var output = root.GetProperty("output");
        Assert.Equal(3, output.GetArrayLength());
        Assert.Equal("message", output[0].GetProperty("type").GetString());
        Assert.Equal("Let me check.", output[0].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("function_call", output[1].GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("length", "max_output_tokens")]
    [InlineData("content_filter", "content_filter")]
    public void TryTranslate_CutShort_Incomplete(string finish, string reason)
    {
        var root = Translate(TextCompletion.Replace("\"stop\"", $"\"{finish}\"", StringComparison.Ordinal));

        Assert.Equal("incomplete", root.GetProperty("status").GetString());
        Assert.Equal(reason, root.GetProperty("incomplete_details").GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("completed_at").ValueKind);
        Assert.Equal("incomplete", root.GetProperty("output")[0].GetProperty("status").GetString());
    }

    [Fact]
    public void TryTranslate_Refusal_RefusalPart()
    {
        var root = Translate(TextCompletion.Replace("\"content\":\"Hello \\\"world\\\" é\",\"refusal\":null", "\"content\":null,\"refusal\":\"I can't.\"", StringComparison.Ordinal));

        var content = root.GetProperty("output")[0].GetProperty("content");
        Assert.Equal(1, content.GetArrayLength());
        Assert.Equal("refusal", content[0].GetProperty("type").GetString());
        Assert.Equal("I can't.", content[0].GetProperty("refusal").GetString());
    }

    [Fact]
    public void TryTranslate_Logprobs_CopiedToTextPart()
    {
        var completion = TextCompletion.Replace("\"logprobs\":null", "\"logprobs\":{\"content\":[{\"token\":\"Hello\",\"logprob\":-0.1,\"bytes\":[72],\"top_logprobs\":[]}]}", StringComparison.Ordinal);

        var logprobs = Translate(completion).GetProperty("output")[0].GetProperty("content")[0].GetProperty("logprobs");

        Assert.Equal(1, logprobs.GetArrayLength());
        Assert.Equal("Hello", logprobs[0].GetProperty("token").GetString());
    }

    [Fact]
    public void TryTranslate_NoTextNoUsage_EmptyOutputNoUsage()
    {
        var root = Translate("""{"id":"x","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":""},"finish_reason":"stop"}]}""");

        Assert.Equal(0, root.GetProperty("output").GetArrayLength());
        Assert.False(root.TryGetProperty("usage", out _));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"id":"x","choices":[]}""")]
    [InlineData("""{"id":"x"}""")]
    [InlineData("[]")]
    public void TryTranslate_NotACompletion_FalseAndNothingWritten(string body)
    {
        var output = new ArrayBufferWriter<byte>();

        Assert.False(ChatToResponsesAnswer.TryTranslate(Encoding.UTF8.GetBytes(body), Echo(), output));
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void TryTranslate_FromAnthropicAnswer_ComposesThroughChat()
    {
        const string Anthropic = """
            {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5",
             "content":[{"type":"text","text":"Sure."},{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}],
             "stop_reason":"tool_use","stop_sequence":null,
             "usage":{"input_tokens":10,"cache_creation_input_tokens":0,"cache_read_input_tokens":5,"output_tokens":7}}
            """;
        var chat = new ArrayBufferWriter<byte>();
        Assert.True(AnthropicResponseTranslator.TryTranslate(Encoding.UTF8.GetBytes(Anthropic), "claude-x", 1_700_000_000, chat));

        var root = Translate(Encoding.UTF8.GetString(chat.WrittenSpan));

        var output = root.GetProperty("output");
        Assert.Equal("Sure.", output[0].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("toolu_1", output[1].GetProperty("call_id").GetString());
        Assert.Equal("Paris", JsonDocument.Parse(output[1].GetProperty("arguments").GetString()!).RootElement.GetProperty("city").GetString());
        Assert.Equal(15, root.GetProperty("usage").GetProperty("input_tokens").GetInt32());
        Assert.Equal(5, root.GetProperty("usage").GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32());
    }

    [Fact]
    public void FromRequest_BadBody_Defaults()
    {
        var echo = ResponsesEcho.FromRequest("nope"u8, "resp_1", 5);

        Assert.Equal("resp_1", echo.ResponseId);
        Assert.Equal(5, echo.CreatedAt);
        Assert.True(echo.Store);
        Assert.True(echo.ParallelToolCalls);
        Assert.Null(echo.Model);
    }
}

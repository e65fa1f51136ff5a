// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using System.Text.Json;
using Charter.Providers.Anthropic;
using Charter.Providers.Responses;

namespace Charter.Tests.Providers.Responses;

public sealed class ResponsesToChatRequestTests
{
    private static JsonElement Translate(string body)
    {
        var output = new ArrayBufferWriter<byte>();
        var ok = ResponsesToChatRequest.TryTranslate(Encoding.UTF8.GetBytes(body), output, out var refusal);
        Assert.True(ok, refusal.Message);
        using var document = JsonDocument.Parse(output.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static ResponsesTranslationError Refuse(string body)
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.False(ResponsesToChatRequest.TryTranslate(Encoding.UTF8.GetBytes(body), output, out var refusal));
        Assert.Equal(0, output.WrittenCount);
        Assert.False(string.IsNullOrEmpty(refusal.Message));
        return refusal;
    }

    private static void AssertAnthropicAccepts(string body)
    {
        var chat = new ArrayBufferWriter<byte>();
        Assert.True(ResponsesToChatRequest.TryTranslate(Encoding.UTF8.GetBytes(body), chat, out _));
        var messages = new ArrayBufferWriter<byte>();
        var ok = AnthropicRequestTranslator.TryTranslate(chat.WrittenSpan, "claude-sonnet-4-5", 4096, messages, out var error);
        Assert.True(ok, error.Message + " " + error.Param + " " + Encoding.UTF8.GetString(chat.WrittenSpan));
        using var parsed = JsonDocument.Parse(messages.WrittenMemory);
    }

    [Fact]
    public void TryTranslate_StringInputAndInstructions_SystemThenUserMessage()
    {
        var root = Translate("""{"model":"gpt-4o","instructions":"Be brief.","input":"Hi \u00e9\"there\""}""");

        Assert.Equal("gpt-4o", root.GetProperty("model").GetString());
        var messages = root.GetProperty("messages");
        Assert.Equal(2, messages.GetArrayLength());
        Assert.Equal("system", messages[0].GetProperty("role").GetString());
        Assert.Equal("Be brief.", messages[0].GetProperty("content").GetString());
        Assert.Equal("user", messages[1].GetProperty("role").GetString());
        Assert.Equal("Hi é\"there\"", messages[1].GetProperty("content").GetString());
        Assert.False(root.TryGetProperty("stream", out _));
    }

    [Fact]
    public void TryTranslate_MessageItems_MapRolesAndParts()
    {
        var root = Translate("""
            {"model":"m","input":[
              {"role":"developer","content":"Rules."},
              {"type":"message","role":"user","content":[{"type":"input_text","text":"Look"},{"type":"input_image","image_url":"https://x/y.png","detail":"low"}]},
              {"type":"message","role":"assistant","content":[{"type":"output_text","text":"A ","annotations":[]},{"type":"output_text","text":"cat."}]},
              {"role":"system","content":[{"type":"input_text","text":"Sys"}]}
            ]}
            """);

        var m = root.GetProperty("messages");
        Assert.Equal(4, m.GetArrayLength());
        Assert.Equal("developer", m[0].GetProperty("role").GetString());
        Assert.Equal("Rules.", m[0].GetProperty("content").GetString());
        var parts = m[1].GetProperty("content");
        Assert.Equal("text", parts[0].GetProperty("type").GetString());
        Assert.Equal("Look", parts[0].GetProperty("text").GetString());
        Assert.Equal("image_url", parts[1].GetProperty("type").GetString());
        Assert.Equal("https://x/y.png", parts[1].GetProperty("image_url").GetProperty("url").GetString());
        Assert.Equal("low", parts[1].GetProperty("image_url").GetProperty("detail").GetString());
        Assert.Equal("assistant", m[2].GetProperty("role").GetString());
        Assert.Equal("A cat.", m[2].GetProperty("content").GetString());
        Assert.False(m[2].TryGetProperty("tool_calls", out _));
        Assert.Equal("Sys", m[3].GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public void TryTranslate_FunctionCallRun_OneAssistantMessageJoinedToPrecedingText()
    {
        var root = Translate("""
            {"model":"m","input":[
              {"role":"user","content":"Weather?"},
              {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Checking."}]},
              {"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{\"city\":\"Paris\"}"},
              {"type":"function_call","call_id":"call_2","name":"get_time","arguments":"{}"},
              {"type":"function_call_output","call_id":"call_1","output":"18C"},
              {"type":"function_call_output","call_id":"call_2","output":[{"type":"input_text","text":"noon"}]},
              {"type":"function_call","id":"fc_9","call_id":"call_3","name":"get_time","arguments":"{}"},
              {"type":"function_call_output","call_id":"call_3","output":"one"}
            ]}
            """);

        var m = root.GetProperty("messages");
        Assert.Equal(6, m.GetArrayLength());
        var assistant = m[1];
        Assert.Equal("assistant", assistant.GetProperty("role").GetString());
        Assert.Equal("Checking.", assistant.GetProperty("content").GetString());
        var calls = assistant.GetProperty("tool_calls");
        Assert.Equal(2, calls.GetArrayLength());
        Assert.Equal("call_1", calls[0].GetProperty("id").GetString());
        Assert.Equal("function", calls[0].GetProperty("type").GetString());
        Assert.Equal("get_weather", calls[0].GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("{\"city\":\"Paris\"}", calls[0].GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal("call_2", calls[1].GetProperty("id").GetString());
        Assert.Equal("tool", m[2].GetProperty("role").GetString());
        Assert.Equal("call_1", m[2].GetProperty("tool_call_id").GetString());
        Assert.Equal("18C", m[2].GetProperty("content").GetString());
        Assert.Equal("noon", m[3].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(JsonValueKind.Null, m[4].GetProperty("content").ValueKind);
        Assert.Equal("call_3", m[4].GetProperty("tool_calls")[0].GetProperty("id").GetString());
        Assert.Equal("call_3", m[5].GetProperty("tool_call_id").GetString());
        Assert.Equal("user", m[0].GetProperty("role").GetString());
        Assert.Equal("one", m[5].GetProperty("content").GetString());
    }

    [Fact]
    public void TryTranslate_Options_Mapped()
    {
        var root = Translate("""
            {"model":"m","input":"x","max_output_tokens":300,"temperature":0.5,"top_p":0.9,"stream":true,"user":"u1",
             "metadata":{"k":"v"},"store":false,"truncation":"disabled","include":["message.output_text.logprobs"],"top_logprobs":3}
            """);

        Assert.Equal(300, root.GetProperty("max_completion_tokens").GetInt32());
        Assert.Equal(0.5, root.GetProperty("temperature").GetDouble());
        Assert.Equal(0.9, root.GetProperty("top_p").GetDouble());
        Assert.True(root.GetProperty("stream").GetBoolean());
        Assert.True(root.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        Assert.Equal("u1", root.GetProperty("user").GetString());
        Assert.Equal("v", root.GetProperty("metadata").GetProperty("k").GetString());
        Assert.True(root.GetProperty("logprobs").GetBoolean());
        Assert.Equal(3, root.GetProperty("top_logprobs").GetInt32());
        Assert.False(root.TryGetProperty("store", out _));
        Assert.False(root.TryGetProperty("max_output_tokens", out _));
    }

    [Fact]
    public void TryTranslate_SafetyIdentifier_PreferredAsUser()
    {
        var root = Translate("""{"model":"m","input":"x","user":"u1","safety_identifier":"s1","stream":false}""");

        Assert.Equal("s1", root.GetProperty("user").GetString());
        Assert.False(root.GetProperty("stream").GetBoolean());
        Assert.False(root.TryGetProperty("stream_options", out _));
        Assert.False(root.TryGetProperty("logprobs", out _));
    }

    [Fact]
    public void TryTranslate_FunctionTools_ChatFormWithChoiceAndParallel()
    {
        var root = Translate("""
            {"model":"m","input":"x","parallel_tool_calls":false,"tool_choice":{"type":"function","name":"f"},
             "tools":[{"type":"function","name":"f","description":"Does f","parameters":{"type":"object","properties":{}},"strict":true},{"type":"function","name":"g"}]}
            """);

        var tools = root.GetProperty("tools");
        Assert.Equal(2, tools.GetArrayLength());
        Assert.Equal("function", tools[0].GetProperty("type").GetString());
        var f = tools[0].GetProperty("function");
        Assert.Equal("f", f.GetProperty("name").GetString());
        Assert.Equal("Does f", f.GetProperty("description").GetString());
        Assert.Equal("object", f.GetProperty("parameters").GetProperty("type").GetString());
        Assert.True(f.GetProperty("strict").GetBoolean());
        Assert.False(tools[1].GetProperty("function").TryGetProperty("parameters", out _));
        Assert.Equal("f", root.GetProperty("tool_choice").GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("function", root.GetProperty("tool_choice").GetProperty("type").GetString());
        Assert.False(root.GetProperty("parallel_tool_calls").GetBoolean());
    }

    [Theory]
    [InlineData("none")]
    [InlineData("auto")]
    [InlineData("required")]
    public void TryTranslate_StringToolChoice_Copied(string choice)
    {
        var root = Translate($$"""{"model":"m","input":"x","tool_choice":"{{choice}}","tools":[{"type":"function","name":"f"}]}""");

        Assert.Equal(choice, root.GetProperty("tool_choice").GetString());
    }

    [Fact]
    public void TryTranslate_ToolChoiceWithoutTools_Dropped()
    {
        var root = Translate("""{"model":"m","input":"x","tool_choice":"auto","parallel_tool_calls":true,"tools":[]}""");

        Assert.False(root.TryGetProperty("tools", out _));
        Assert.False(root.TryGetProperty("tool_choice", out _));
        Assert.False(root.TryGetProperty("parallel_tool_calls", out _));
    }

    [Fact]
    public void TryTranslate_TextFormats_ResponseFormat()
    {
        Assert.False(Translate("""{"model":"m","input":"x","text":{"format":{"type":"text"},"verbosity":"low"}}""").TryGetProperty("response_format", out _));
        Assert.Equal("json_object", Translate("""{"model":"m","input":"x","text":{"format":{"type":"json_object"}}}""").GetProperty("response_format").GetProperty("type").GetString());

        var schema = Translate("""{"model":"m","input":"x","text":{"format":{"type":"json_schema","name":"s","schema":{"type":"object"},"strict":true}}}""").GetProperty("response_format");
        Assert.Equal("json_schema", schema.GetProperty("type").GetString());
        var js = schema.GetProperty("json_schema");
        Assert.Equal("s", js.GetProperty("name").GetString());
        Assert.Equal("object", js.GetProperty("schema").GetProperty("type").GetString());
        Assert.True(js.GetProperty("strict").GetBoolean());
    }

    [Theory]
    [InlineData("""{"model":"m","input":"x","previous_response_id":"resp_1"}""", "previous_response_id")]
    [InlineData("""{"model":"m","input":"x","conversation":"conv_1"}""", "conversation")]
    [InlineData("""{"model":"m","input":"x","background":true}""", "background")]
    [InlineData("""{"model":"m","input":"x","prompt":{"id":"pmpt_1"}}""", "prompt")]
    [InlineData("""{"model":"m","input":"x","reasoning":{"effort":"low"}}""", "reasoning")]
    [InlineData("""{"input":"x"}""", "model")]
    [InlineData("""{"model":"m"}""", "input")]
    [InlineData("""{"model":"m","input":[]}""", "input")]
    [InlineData("""{"model":"m","input":5}""", "input")]
    [InlineData("""{"model":"m","instructions":["a"],"input":"x"}""", "instructions")]
    [InlineData("""{"model":"m","input":[{"role":"user","content":"a"},{"type":"reasoning","id":"rs_1","summary":[]}]}""", "input[1]")]
    [InlineData("""{"model":"m","input":[{"type":"item_reference","id":"msg_1"}]}""", "input[0]")]
    [InlineData("""{"model":"m","input":[{"type":"file_search_call","id":"fs_1"}]}""", "input[0]")]
    [InlineData("""{"model":"m","input":[{"role":"tool","content":"a"}]}""", "input[0].role")]
    [InlineData("""{"model":"m","input":[{"role":"user","content":[{"type":"input_image","file_id":"file_1"}]}]}""", "input[0].content[0].file_id")]
    [InlineData("""{"model":"m","input":[{"role":"user","content":[{"type":"input_file","file_id":"file_1"}]}]}""", "input[0].content[0]")]
    [InlineData("""{"model":"m","input":[{"role":"system","content":[{"type":"input_image","image_url":"https://x"}]}]}""", "input[0].content[0]")]
    [InlineData("""{"model":"m","input":[{"role":"assistant","content":[{"type":"refusal","refusal":"no"}]}]}""", "input[0].content[0]")]
    [InlineData("""{"model":"m","input":[{"type":"function_call","name":"f","arguments":"{}"}]}""", "input[0]")]
    [InlineData("""{"model":"m","input":[{"type":"function_call_output","call_id":"c"}]}""", "input[0].output")]
    [InlineData("""{"model":"m","input":[{"type":"function_call_output","call_id":"c","output":[{"type":"input_image","image_url":"https://x"}]}]}""", "input[0].output[0]")]
    [InlineData("""{"model":"m","input":[{"type":"function_call_output","output":"x"}]}""", "input[0]")]
    [InlineData("""{"model":"m","input":[{"role":"user","content":[{"type":"input_image"}]}]}""", "input[0].content[0].image_url")]
    [InlineData("""{"model":"m","input":[{"role":"user","content":[{"type":"input_text"}]}]}""", "input[0].content[0].text")]
    [InlineData("""{"model":"m","input":[{"role":"user"}]}""", "input[0].content")]
    [InlineData("""{"model":"m","input":["hi"]}""", "input[0]")]
    [InlineData("""{"model":"m","input":"x","metadata":[1]}""", "metadata")]
    [InlineData("""{"model":"m","input":"x","tools":{}}""", "tools")]
    [InlineData("""{"model":"m","input":"x","tools":[{"type":"function"}]}""", "tools[0].name")]
    [InlineData("""{"model":"m","input":"x","tools":[{"type":"function","name":"f"}],"tool_choice":"sometimes"}""", "tool_choice")]
    [InlineData("""{"model":"m","input":"x","tools":[{"type":"function","name":"f"}],"parallel_tool_calls":"no"}""", "parallel_tool_calls")]
    [InlineData("""{"model":"m","input":"x","text":{"format":{"type":"json_schema","name":"s"}}}""", "text.format.schema")]
    [InlineData("""{"model":"m","input":"x","top_logprobs":"3"}""", "top_logprobs")]
    [InlineData("""{"model":"m","input":"x","temperature":"hot"}""", "temperature")]
    [InlineData("""{"model":"m","input":"x","tools":[{"type":"function","name":"f"},{"type":"web_search"}]}""", "tools[1]")]
    [InlineData("""{"model":"m","input":"x","tools":[{"type":"file_search","vector_store_ids":[]}]}""", "tools[0]")]
    [InlineData("""{"model":"m","input":"x","tools":[{"type":"function","name":"f"}],"tool_choice":{"type":"web_search_preview"}}""", "tool_choice")]
    [InlineData("""{"model":"m","input":"x","text":{"format":{"type":"json_schema","schema":{}}}}""", "text.format.name")]
    [InlineData("""{"model":"m","input":"x","text":{"format":{"type":"grammar"}}}""", "text.format")]
    [InlineData("""{"model":"m","input":"x","max_output_tokens":"many"}""", "max_output_tokens")]
    [InlineData("""{"model":"m","input":"x","stream":"yes"}""", "stream")]
    public void TryTranslate_Unsupported_RefusedWithParam(string body, string param)
    {
        Assert.Equal(param, Refuse(body).Param);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1]")]
    [InlineData("""{"model":"m","input":"x" """)]
    public void TryTranslate_InvalidBody_RefusedWithoutParam(string body)
    {
        Assert.Null(Refuse(body).Param);
    }

    [Fact]
    public void TryTranslate_JsonSchemaDescription_Copied()
    {
        var js = Translate("""{"model":"m","input":"x","text":{"format":{"type":"json_schema","name":"s","description":"A thing","schema":{"type":"object"}}}}""")
            .GetProperty("response_format").GetProperty("json_schema");

        Assert.Equal("A thing", js.GetProperty("description").GetString());
        Assert.False(js.TryGetProperty("strict", out _));
    }

    [Fact]
    public void TryTranslate_TopLogprobsWithoutInclude_Logprobs()
    {
        var root = Translate("""{"model":"m","input":"x","top_logprobs":2,"include":["reasoning.encrypted_content"]}""");

        Assert.True(root.GetProperty("logprobs").GetBoolean());
        Assert.Equal(2, root.GetProperty("top_logprobs").GetInt32());
    }

    [Fact]
    public void TryTranslate_NullReasoningAndStore_Accepted()
    {
        var root = Translate("""{"model":"m","input":"x","reasoning":null,"store":true,"background":false,"previous_response_id":null}""");

        Assert.Equal(1, root.GetProperty("messages").GetArrayLength());
    }

    [Fact]
    public void TryTranslate_Conversation_AcceptedByAnthropicTranslator()
    {
        AssertAnthropicAccepts("""
            {"model":"m","instructions":"Be kind.","max_output_tokens":100,"temperature":0.3,"stream":true,"safety_identifier":"s",
             "tools":[{"type":"function","name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}],
             "tool_choice":"required","parallel_tool_calls":false,"metadata":{"a":"b"},
             "input":[
              {"role":"user","content":[{"type":"input_text","text":"Weather?"},{"type":"input_image","image_url":"https://x/y.png"}]},
              {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Checking."}]},
              {"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{\"city\":\"Paris\"}"},
              {"type":"function_call_output","call_id":"call_1","output":"18C"},
              {"role":"user","content":"Thanks"}
             ]}
            """);
        AssertAnthropicAccepts("""{"model":"m","input":[{"type":"function_call","call_id":"c","name":"f","arguments":"{}"},{"type":"function_call_output","call_id":"c","output":[{"type":"input_text","text":"ok"}]}]}""");
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using System.Text.Json;
using Charter.Providers.Messages;

namespace Charter.Tests.Providers.Messages;

public sealed class MessagesToChatRequestTests
{
    private static JsonElement Translate(string body, string upstreamModel = "gpt-4o")
    {
        var output = new ArrayBufferWriter<byte>();
        var ok = MessagesToChatRequest.TryTranslate(Encoding.UTF8.GetBytes(body), upstreamModel, output, out var refusal);
        Assert.True(ok, refusal.Message + " " + refusal.Param);
        Assert.Equal(default, refusal);
        using var document = JsonDocument.Parse(output.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static MessagesTranslationError Refuse(string body)
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.False(MessagesToChatRequest.TryTranslate(Encoding.UTF8.GetBytes(body), "gpt-4o", output, out var refusal));
        Assert.Equal(0, output.WrittenCount);
        Assert.False(string.IsNullOrEmpty(refusal.Message));
        return refusal;
    }

    private static string[] Names(JsonElement o) => [.. o.EnumerateObject().Select(p => p.Name)];

    // A body with one user message around the given content blocks (JSON).
    private static string UserBlocks(string blocks) => "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":[" + blocks + "]}]}";

    [Fact]
    public void TryTranslate_StringSystemAndUser_SystemFirstThenUserWithUpstreamModel()
    {
        var root = Translate("""{"model":"claude-sonnet-4-5","max_tokens":1024,"system":"Be brief.","messages":[{"role":"user","content":"Hi \u00e9\"there\""}]}""", "gpt-4.1-mini");

        Assert.Equal(["model", "messages", "max_tokens"], Names(root));
        Assert.Equal("gpt-4.1-mini", root.GetProperty("model").GetString());
        Assert.Equal(1024, root.GetProperty("max_tokens").GetInt32());
        var messages = root.GetProperty("messages");
        Assert.Equal(2, messages.GetArrayLength());
        Assert.Equal("""{"role":"system","content":"Be brief."}""", messages[0].GetRawText());
        Assert.Equal("user", messages[1].GetProperty("role").GetString());
        Assert.Equal("Hi é\"there\"", messages[1].GetProperty("content").GetString());
    }

    [Fact]
    public void TryTranslate_SystemTextBlocks_CacheControlDroppedSeveralBlocksAsTextParts()
    {
        var root = Translate("""
            {"model":"m","max_tokens":8,"system":[
              {"type":"text","text":"You are Claude Code.","cache_control":{"type":"ephemeral"}},
              {"type":"text","text":"Be careful."}],
             "messages":[{"role":"user","content":"x"}]}
            """);

        var system = root.GetProperty("messages")[0];
        Assert.Equal("system", system.GetProperty("role").GetString());
        Assert.Equal("""[{"type":"text","text":"You are Claude Code."},{"type":"text","text":"Be careful."}]""", system.GetProperty("content").GetRawText());
        Assert.DoesNotContain("cache_control", root.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void TryTranslate_SystemOneTextBlock_PlainString()
    {
        var root = Translate("""{"model":"m","max_tokens":8,"system":[{"type":"text","text":"Only rule.","cache_control":{"type":"ephemeral","ttl":"1h"}}],"messages":[{"role":"user","content":"x"}]}""");

        Assert.Equal("""{"role":"system","content":"Only rule."}""", root.GetProperty("messages")[0].GetRawText());
    }

    [Theory]
    [InlineData("\"system\":\"\",")]
    [InlineData("\"system\":[],")]
    [InlineData("")]
    public void TryTranslate_NoOrEmptySystem_NoSystemMessage(string system)
    {
        var root = Translate("{\"model\":\"m\",\"max_tokens\":8," + system + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");

        Assert.Equal(1, root.GetProperty("messages").GetArrayLength());
        Assert.Equal("user", root.GetProperty("messages")[0].GetProperty("role").GetString());
    }

    [Fact]
    public void TryTranslate_SystemWithImage_RefusedNamingTheBlock()
    {
        var refusal = Refuse("""{"model":"m","max_tokens":8,"system":[{"type":"text","text":"a"},{"type":"image","source":{"type":"url","url":"https://x/y.png"}}],"messages":[{"role":"user","content":"x"}]}""");

        Assert.Equal("system[1].type", refusal.Param);
    }

    [Fact]
    public void TryTranslate_UserSingleTextBlock_PlainString()
    {
        var root = Translate(UserBlocks("""{"type":"text","text":"Hello","cache_control":{"type":"ephemeral"}}"""));

        Assert.Equal("""{"role":"user","content":"Hello"}""", root.GetProperty("messages")[0].GetRawText());
    }

    [Fact]
    public void TryTranslate_UserTextsAndImages_PartsInOrderWithDataUrl()
    {
        var root = Translate(UserBlocks("""
            {"type":"text","text":"Look at"},
            {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
            {"type":"text","text":"and"},
            {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"},"cache_control":{"type":"ephemeral"}}
            """));

        var parts = root.GetProperty("messages")[0].GetProperty("content");
        Assert.Equal(4, parts.GetArrayLength());
        Assert.Equal("""{"type":"text","text":"Look at"}""", parts[0].GetRawText());
        Assert.Equal("""{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}""", parts[1].GetRawText());
        Assert.Equal("""{"type":"text","text":"and"}""", parts[2].GetRawText());
        Assert.Equal("""{"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}}""", parts[3].GetRawText());
    }

    [Fact]
    public void TryTranslate_AssistantTextAndToolUse_ContentAndToolCallsWithCompactArguments()
    {
        var root = Translate("""
            {"model":"m","max_tokens":8,"messages":[
              {"role":"user","content":"Weather in Paris?"},
              {"role":"assistant","content":[
                {"type":"thinking","thinking":"Let me check.","signature":"sig"},
                {"type":"text","text":"Checking."},
                {"type":"tool_use","id":"toolu_01A","name":"get_weather","input":{ "city" : "Paris \"FR\"", "days": [1, 2],
                   "opts": {"unit":"c\u00e9"} }},
                {"type":"tool_use","id":"toolu_01B","name":"get_time","input":{}}]}]}
            """);

        var assistant = root.GetProperty("messages")[1];
        Assert.Equal(["role", "content", "tool_calls"], Names(assistant));
        Assert.Equal("Checking.", assistant.GetProperty("content").GetString());
        var calls = assistant.GetProperty("tool_calls");
        Assert.Equal(2, calls.GetArrayLength());
        Assert.Equal("toolu_01A", calls[0].GetProperty("id").GetString());
        Assert.Equal("function", calls[0].GetProperty("type").GetString());
        Assert.Equal("get_weather", calls[0].GetProperty("function").GetProperty("name").GetString());
        var arguments = calls[0].GetProperty("function").GetProperty("arguments").GetString()!;
        Assert.Equal("{\"city\":\"Paris \\\"FR\\\"\",\"days\":[1,2],\"opts\":{\"unit\":\"c\\u00e9\"}}", arguments);
        using (var parsed = JsonDocument.Parse(arguments))
        {
            Assert.Equal("Paris \"FR\"", parsed.RootElement.GetProperty("city").GetString());
            Assert.Equal("cé", parsed.RootElement.GetProperty("opts").GetProperty("unit").GetString());
        }

        Assert.Equal("{}", calls[1].GetProperty("function").GetProperty("arguments").GetString());
        Assert.DoesNotContain("thinking", root.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void TryTranslate_AssistantToolUseOnly_ContentNull()
    {
        var root = Translate("""{"model":"m","max_tokens":8,"messages":[{"role":"user","content":"x"},{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"f","input":{"a":1}}]}]}""");

        var assistant = root.GetProperty("messages")[1];
        Assert.Equal(JsonValueKind.Null, assistant.GetProperty("content").ValueKind);
        Assert.Equal("{\"a\":1}", assistant.GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString());
    }

    [Fact]
    public void TryTranslate_AssistantSeveralTextBlocks_TextParts()
    {
        var root = Translate("""{"model":"m","max_tokens":8,"messages":[{"role":"user","content":"x"},{"role":"assistant","content":[{"type":"text","text":"A"},{"type":"text","text":"B"}]}]}""");

        Assert.Equal("""{"role":"assistant","content":[{"type":"text","text":"A"},{"type":"text","text":"B"}]}""", root.GetProperty("messages")[1].GetRawText());
    }

    [Fact]
    public void TryTranslate_AssistantOnlyThinking_EmptyContent()
    {
        var root = Translate("""{"model":"m","max_tokens":8,"messages":[{"role":"user","content":"x"},{"role":"assistant","content":[{"type":"redacted_thinking","data":"abc"}]}]}""");

        Assert.Equal("""{"role":"assistant","content":""}""", root.GetProperty("messages")[1].GetRawText());
    }

    [Fact]
    public void TryTranslate_ToolResults_ToolMessagesBeforeTheRestOfTheUserTurn()
    {
        var root = Translate("""
            {"model":"m","max_tokens":8,"messages":[
              {"role":"user","content":"Weather and time?"},
              {"role":"assistant","content":[{"type":"tool_use","id":"toolu_A","name":"get_weather","input":{"city":"Paris"}},{"type":"tool_use","id":"toolu_B","name":"get_time","input":{}}]},
              {"role":"user","content":[
                {"type":"text","text":"Here you go:"},
                {"type":"tool_result","tool_use_id":"toolu_A","content":"18\u00b0C, sunny","cache_control":{"type":"ephemeral"}},
                {"type":"tool_result","tool_use_id":"toolu_B","content":[{"type":"text","text":"12:00"},{"type":"text","text":"CET"}],"is_error":false}]}]}
            """);

        var m = root.GetProperty("messages");
        Assert.Equal(5, m.GetArrayLength());
        Assert.Equal("assistant", m[1].GetProperty("role").GetString());
        Assert.Equal("""{"role":"tool","tool_call_id":"toolu_A","content":"18°C, sunny"}""", m[2].GetRawText());
        Assert.Equal("""{"role":"tool","tool_call_id":"toolu_B","content":[{"type":"text","text":"12:00"},{"type":"text","text":"CET"}]}""", m[3].GetRawText());
        Assert.Equal("""{"role":"user","content":"Here you go:"}""", m[4].GetRawText());
    }

    [Fact]
    public void TryTranslate_ToolResultOnly_NoUserMessage()
    {
        var root = Translate(UserBlocks("""{"type":"tool_result","tool_use_id":"t1","content":[{"type":"text","text":"only"}],"is_error":true},{"type":"tool_result","tool_use_id":"t2"}"""));

        var m = root.GetProperty("messages");
        Assert.Equal(2, m.GetArrayLength());
        Assert.Equal("""{"role":"tool","tool_call_id":"t1","content":"only"}""", m[0].GetRawText());
        Assert.Equal("""{"role":"tool","tool_call_id":"t2","content":""}""", m[1].GetRawText());
    }

    [Fact]
    public void TryTranslate_SystemRoleInMessages_SystemMessageInPlace()
    {
        var root = Translate("""{"model":"m","max_tokens":8,"messages":[{"role":"user","content":"a"},{"role":"system","content":[{"type":"text","text":"Now be formal."}]},{"role":"user","content":"b"}]}""");

        var m = root.GetProperty("messages");
        Assert.Equal(["user", "system", "user"], m.EnumerateArray().Select(e => e.GetProperty("role").GetString()));
        Assert.Equal("Now be formal.", m[1].GetProperty("content").GetString());
    }

    [Fact]
    public void TryTranslate_Options_MappedAndDropped()
    {
        var root = Translate("""
            {"model":"claude-opus-4-1","max_tokens":2048,"temperature":0.25,"top_p":0.9,"top_k":40,
             "stop_sequences":["\n\nHuman:","END"],"metadata":{"user_id":"user-42"},
             "thinking":{"type":"enabled","budget_tokens":1024},"service_tier":"auto","container":"c_1",
             "context_management":{"edits":[]},"some_future_member":{"x":1},
             "messages":[{"role":"user","content":"x"}]}
            """);

        Assert.Equal(["model", "messages", "max_tokens", "temperature", "top_p", "stop", "user"], Names(root));
        Assert.Equal(2048, root.GetProperty("max_tokens").GetInt32());
        Assert.Equal(0.25, root.GetProperty("temperature").GetDouble());
        Assert.Equal(0.9, root.GetProperty("top_p").GetDouble());
        Assert.Equal(["\n\nHuman:", "END"], root.GetProperty("stop").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("user-42", root.GetProperty("user").GetString());
    }

    [Fact]
    public void TryTranslate_StreamTrue_StreamWithIncludeUsage()
    {
        var root = Translate("""{"model":"m","max_tokens":8,"stream":true,"messages":[{"role":"user","content":"x"}]}""");

        Assert.True(root.GetProperty("stream").GetBoolean());
        Assert.Equal("""{"include_usage":true}""", root.GetProperty("stream_options").GetRawText());
    }

    [Fact]
    public void TryTranslate_StreamFalse_NoStreamOptions()
    {
        var root = Translate("""{"model":"m","max_tokens":8,"stream":false,"messages":[{"role":"user","content":"x"}]}""");

        Assert.False(root.GetProperty("stream").GetBoolean());
        Assert.False(root.TryGetProperty("stream_options", out _));
    }

    [Fact]
    public void TryTranslate_EmptyStopSequencesAndMetadataWithoutUser_Omitted()
    {
        var root = Translate("""{"model":"m","max_tokens":8,"stop_sequences":[],"metadata":{},"messages":[{"role":"user","content":"x"}]}""");

        Assert.Equal(["model", "messages", "max_tokens"], Names(root));
    }

    [Fact]
    public void TryTranslate_Tools_FunctionToolsWithParameters()
    {
        var root = Translate("""
            {"model":"m","max_tokens":8,"messages":[{"role":"user","content":"x"}],"tools":[
              {"name":"get_weather","description":"Current weather","input_schema":{ "type": "object",
                 "properties": {"city": {"type": "string"}}, "required": ["city"] },"cache_control":{"type":"ephemeral"}},
              {"type":"custom","name":"noop","input_schema":{"type":"object"}}]}
            """);

        var tools = root.GetProperty("tools");
        Assert.Equal(2, tools.GetArrayLength());
        Assert.Equal("""{"type":"function","function":{"name":"get_weather","description":"Current weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}""", tools[0].GetRawText());
        Assert.Equal("""{"type":"function","function":{"name":"noop","parameters":{"type":"object"}}}""", tools[1].GetRawText());
        Assert.False(root.TryGetProperty("tool_choice", out _));
        Assert.False(root.TryGetProperty("parallel_tool_calls", out _));
    }

    [Theory]
    [InlineData("""{"type":"auto"}""", "\"auto\"", null)]
    [InlineData("""{"type":"any"}""", "\"required\"", null)]
    [InlineData("""{"type":"none"}""", "\"none\"", null)]
    [InlineData("""{"type":"tool","name":"get_weather"}""", """{"type":"function","function":{"name":"get_weather"}}""", null)]
    [InlineData("""{"type":"auto","disable_parallel_tool_use":true}""", "\"auto\"", false)]
    [InlineData("""{"type":"any","disable_parallel_tool_use":false}""", "\"required\"", null)]
    [InlineData("""{"type":"tool","name":"get_weather","disable_parallel_tool_use":true}""", """{"type":"function","function":{"name":"get_weather"}}""", false)]
    public void TryTranslate_ToolChoice_Mapped(string choice, string expected, bool? parallel)
    {
        var root = Translate("{\"model\":\"m\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tools\":[{\"name\":\"get_weather\",\"input_schema\":{\"type\":\"object\"}}],\"tool_choice\":" + choice + "}");

        Assert.Equal(expected, root.GetProperty("tool_choice").GetRawText());
        if (parallel is { } p)
        {
            Assert.Equal(p, root.GetProperty("parallel_tool_calls").GetBoolean());
        }
        else
        {
            Assert.False(root.TryGetProperty("parallel_tool_calls", out _));
        }
    }

    [Fact]
    public void TryTranslate_ToolChoiceWithoutTools_Dropped()
    {
        var root = Translate("""{"model":"m","max_tokens":8,"messages":[{"role":"user","content":"x"}],"tool_choice":{"type":"none"}}""");

        Assert.False(root.TryGetProperty("tool_choice", out _));
        Assert.False(root.TryGetProperty("tools", out _));
    }

    [Theory]
    [InlineData("""{"type":"document","source":{"type":"text","media_type":"text/plain","data":"doc"}}""", "messages[0].content[1].type")]
    [InlineData("""{"type":"search_result","source":"https://x","title":"t","content":[{"type":"text","text":"r"}]}""", "messages[0].content[1].type")]
    [InlineData("""{"type":"web_search_tool_result","tool_use_id":"srvtoolu_1","content":[]}""", "messages[0].content[1].type")]
    [InlineData("""{"type":"container_upload","file_id":"f"}""", "messages[0].content[1].type")]
    [InlineData("""{"type":"something_new"}""", "messages[0].content[1].type")]
    [InlineData("""{"text":"no type"}""", "messages[0].content[1].type")]
    [InlineData("""{"type":"image","source":{"type":"file","file_id":"file_1"}}""", "messages[0].content[1].source.type")]
    [InlineData("""{"type":"image"}""", "messages[0].content[1].source")]
    [InlineData("""{"type":"image","source":{"type":"base64","media_type":"image/png"}}""", "messages[0].content[1].source")]
    [InlineData("""{"type":"text","text":7}""", "messages[0].content[1].text")]
    [InlineData("""{"type":"tool_result","content":"x"}""", "messages[0].content[1].tool_use_id")]
    [InlineData("""{"type":"tool_result","tool_use_id":"t","content":[{"type":"image","source":{"type":"url","url":"https://x/y.png"}}]}""", "messages[0].content[1].content[0].type")]
    [InlineData("""{"type":"tool_result","tool_use_id":"t","content":[{"type":"text","text":"a"},{"type":"search_result","source":"s","title":"t","content":[]}]}""", "messages[0].content[1].content[1].type")]
    [InlineData("""{"type":"tool_use","id":"t","name":"f","input":{}}""", "messages[0].content[1].type")]
    [InlineData("\"just a string\"", "messages[0].content[1]")]
    public void TryTranslate_UnsupportedUserBlock_RefusedNamingIt(string block, string param)
    {
        var refusal = Refuse(UserBlocks("""{"type":"text","text":"ok"},""" + block));

        Assert.Equal(param, refusal.Param);
    }

    [Theory]
    [InlineData("""{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{"query":"q"}}""", "messages[1].content[0].type")]
    [InlineData("""{"type":"image","source":{"type":"url","url":"https://x/y.png"}}""", "messages[1].content[0].type")]
    [InlineData("""{"type":"tool_result","tool_use_id":"t","content":"x"}""", "messages[1].content[0].type")]
    [InlineData("""{"type":"mcp_tool_use","id":"m","name":"n","server_name":"s","input":{}}""", "messages[1].content[0].type")]
    [InlineData("""{"type":"tool_use","name":"f","input":{}}""", "messages[1].content[0].id")]
    [InlineData("""{"type":"tool_use","id":"t","input":{}}""", "messages[1].content[0].name")]
    [InlineData("""{"type":"tool_use","id":"t","name":"f","input":"not an object"}""", "messages[1].content[0].input")]
    public void TryTranslate_UnsupportedAssistantBlock_RefusedNamingIt(string block, string param)
    {
        var refusal = Refuse("{\"model\":\"m\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"assistant\",\"content\":[" + block + "]}]}");

        Assert.Equal(param, refusal.Param);
    }

    [Theory]
    [InlineData("""{"type":"web_search_20250305","name":"web_search","max_uses":5}""", "tools[1].type")]
    [InlineData("""{"type":"bash_20250124","name":"bash"}""", "tools[1].type")]
    [InlineData("""{"type":"text_editor_20250728","name":"str_replace_based_edit_tool"}""", "tools[1].type")]
    [InlineData("""{"type":"computer_20250124","name":"computer","display_width_px":1024,"display_height_px":768}""", "tools[1].type")]
    [InlineData("""{"description":"no name","input_schema":{"type":"object"}}""", "tools[1].name")]
    [InlineData("""{"name":"f","input_schema":"nope"}""", "tools[1].input_schema")]
    [InlineData("\"f\"", "tools[1]")]
    public void TryTranslate_UnsupportedTool_RefusedNamingIt(string tool, string param)
    {
        var refusal = Refuse("{\"model\":\"m\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tools\":[{\"name\":\"ok\",\"input_schema\":{\"type\":\"object\"}}," + tool + "]}");

        Assert.Equal(param, refusal.Param);
    }

    [Theory]
    [InlineData("\"mcp_servers\":[{\"type\":\"url\",\"url\":\"https://mcp.example.com/sse\",\"name\":\"ex\"}]", "mcp_servers")]
    [InlineData("\"tools\":[{\"name\":\"f\",\"input_schema\":{\"type\":\"object\"}}],\"tool_choice\":{\"type\":\"sometimes\"}", "tool_choice.type")]
    [InlineData("\"tools\":[{\"name\":\"f\",\"input_schema\":{\"type\":\"object\"}}],\"tool_choice\":{\"type\":\"tool\"}", "tool_choice.name")]
    [InlineData("\"tools\":[{\"name\":\"f\",\"input_schema\":{\"type\":\"object\"}}],\"tool_choice\":\"auto\"", "tool_choice")]
    [InlineData("\"tools\":{}", "tools")]
    [InlineData("\"stop_sequences\":\"END\"", "stop_sequences")]
    [InlineData("\"stop_sequences\":[\"a\",1]", "stop_sequences[1]")]
    [InlineData("\"temperature\":\"hot\"", "temperature")]
    [InlineData("\"system\":42", "system")]
    public void TryTranslate_UnsupportedOrMistypedMember_RefusedNamingIt(string member, string param)
    {
        var refusal = Refuse("{\"model\":\"m\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]," + member + "}");

        Assert.Equal(param, refusal.Param);
    }

    [Fact]
    public void TryTranslate_EmptyMcpServers_Accepted()
    {
        var root = Translate("""{"model":"m","max_tokens":8,"messages":[{"role":"user","content":"x"}],"mcp_servers":[]}""");

        Assert.False(root.TryGetProperty("mcp_servers", out _));
    }

    [Theory]
    [InlineData("""{"role":"tool","content":"x"}""", "messages[2].role")]
    [InlineData("""{"role":"user","content":5}""", "messages[2].content")]
    [InlineData("""{"role":"user"}""", "messages[2].content")]
    [InlineData("""{"role":"user","content":[{"type":"text","text":"a"},{"type":"document","source":{"type":"url","url":"https://x/a.pdf"}}]}""", "messages[2].content[1].type")]
    public void TryTranslate_BadLaterMessage_RefusedNamingIt(string message, string param)
    {
        var refusal = Refuse("{\"model\":\"m\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"assistant\",\"content\":\"y\"}," + message + "]}");

        Assert.Equal(param, refusal.Param);
    }

    [Fact]
    public void TryTranslate_WhitespaceAroundTheBody_Translated()
    {
        var root = Translate("\r\n  {\"model\":\"m\",\"max_tokens\":8,\"messages\":[ {\"role\":\"user\",\"content\":\"x\"} ]}\n");

        Assert.Equal("x", root.GetProperty("messages")[0].GetProperty("content").GetString());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}")]
    public void TryTranslate_NotAnObject_RefusedWithoutParam(string body)
    {
        var refusal = Refuse(body);

        Assert.Null(refusal.Param);
    }

    [Fact]
    public void TryTranslate_MultiTurnToolUse_RoundTripsThroughTheAnswer()
    {
        // 1. The client's first turn goes out as chat; 2. the upstream's chat answer asks for two tools; 3. the client gets
        // them as tool_use blocks; 4. the client's next turn (its history plus the results) goes out as chat again, and
        // the upstream sees its own tool calls and their results in the order chat completions wants.
        const string tools = """[{"name":"get_weather","description":"Weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}},{"name":"get_time","input_schema":{"type":"object"}}]""";
        var first = Translate("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":256,\"tools\":" + tools + ",\"messages\":[{\"role\":\"user\",\"content\":\"Weather and time in Paris?\"}]}");
        Assert.Equal("get_weather", first.GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString());

        const string chatAnswer = """
            {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"Let me look.",
             "tool_calls":[{"id":"call_W","type":"function","function":{"name":"get_weather","arguments":"{\"city\": \"Paris\"}"}},
                           {"id":"call_T","type":"function","function":{"name":"get_time","arguments":"{}"}}]},"finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":50,"completion_tokens":20,"total_tokens":70}}
            """;
        var answer = new ArrayBufferWriter<byte>();
        Assert.True(ChatToMessagesAnswer.TryTranslate(Encoding.UTF8.GetBytes(chatAnswer), "msg_1", "claude-sonnet-4-5", answer));
        using var message = JsonDocument.Parse(answer.WrittenMemory);
        var content = message.RootElement.GetProperty("content");
        Assert.Equal("tool_use", message.RootElement.GetProperty("stop_reason").GetString());

        var next = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":256,\"tools\":" + tools + ",\"messages\":["
            + "{\"role\":\"user\",\"content\":\"Weather and time in Paris?\"},"
            + "{\"role\":\"assistant\",\"content\":" + content.GetRawText() + "},"
            + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"call_W\",\"content\":\"21C\"},{\"type\":\"tool_result\",\"tool_use_id\":\"call_T\",\"content\":[{\"type\":\"text\",\"text\":\"14:05\"}]},{\"type\":\"text\",\"text\":\"Summarise.\"}]}]}";
        var second = Translate(next);

        var m = second.GetProperty("messages");
        Assert.Equal(["user", "assistant", "tool", "tool", "user"], m.EnumerateArray().Select(e => e.GetProperty("role").GetString()));
        Assert.Equal("Let me look.", m[1].GetProperty("content").GetString());
        var calls = m[1].GetProperty("tool_calls");
        Assert.Equal(["call_W", "call_T"], calls.EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Equal(["get_weather", "get_time"], calls.EnumerateArray().Select(c => c.GetProperty("function").GetProperty("name").GetString()));
        Assert.Equal("{\"city\":\"Paris\"}", calls[0].GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal("{}", calls[1].GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal("call_W", m[2].GetProperty("tool_call_id").GetString());
        Assert.Equal("21C", m[2].GetProperty("content").GetString());
        Assert.Equal("call_T", m[3].GetProperty("tool_call_id").GetString());
        Assert.Equal("14:05", m[3].GetProperty("content").GetString());
        Assert.Equal("Summarise.", m[4].GetProperty("content").GetString());
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using System.Text.Json;
using Charter.Providers.Anthropic;

namespace Charter.Tests.Providers.Anthropic;

public sealed class AnthropicRequestTranslatorTests
{
    private const string Hi = """{"role":"user","content":"hi"}""";

    private static JsonElement Translate(string body, int defaultMaxTokens = AnthropicWire.DefaultMaxTokens)
    {
        var output = new ArrayBufferWriter<byte>();
        var ok = AnthropicRequestTranslator.TryTranslate(Encoding.UTF8.GetBytes(body), "claude-sonnet-4-5", defaultMaxTokens, output, out var error);
        Assert.True(ok, error.Message);
        using var document = JsonDocument.Parse(output.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static AnthropicTranslationError Refuse(string body)
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.False(AnthropicRequestTranslator.TryTranslate(Encoding.UTF8.GetBytes(body), "claude-sonnet-4-5", 4096, output, out var error));
        Assert.Equal(0, output.WrittenCount);
        Assert.False(string.IsNullOrEmpty(error.Message));
        return error;
    }

    private static string Raw(JsonElement element) => element.GetRawText();

    [Fact]
    public void TryTranslate_MinimalUserMessage_WritesModelDefaultMaxTokensAndStringContent()
    {
        var root = Translate("""{"model":"gpt-4o","messages":[{"role":"user","content":"Hello"}]}""");

        Assert.Equal("claude-sonnet-4-5", root.GetProperty("model").GetString());
        Assert.Equal(4096, root.GetProperty("max_tokens").GetInt32());
        Assert.False(root.TryGetProperty("system", out _));
        var messages = root.GetProperty("messages");
        Assert.Equal(1, messages.GetArrayLength());
        Assert.Equal("user", messages[0].GetProperty("role").GetString());
        Assert.Equal(JsonValueKind.String, messages[0].GetProperty("content").ValueKind);
        Assert.Equal("Hello", messages[0].GetProperty("content").GetString());
    }

    [Fact]
    public void TryTranslate_SystemAndDeveloperMessages_HoistedInOrderJoinedByBlankLines()
    {
        var root = Translate("""
            {"model":"m","messages":[
              {"role":"system","content":"You are terse."},
              {"role":"user","content":"one"},
              {"role":"developer","content":[{"type":"text","text":"Answer in French."},{"type":"text","text":"No emoji."}]},
              {"role":"user","content":"two"}]}
            """);

        Assert.Equal("You are terse.\n\nAnswer in French.\n\nNo emoji.", root.GetProperty("system").GetString());
        var messages = root.GetProperty("messages");
        Assert.Equal(1, messages.GetArrayLength());
        var content = messages[0].GetProperty("content");
        Assert.Equal(2, content.GetArrayLength());
        Assert.Equal("one", content[0].GetProperty("text").GetString());
        Assert.Equal("two", content[1].GetProperty("text").GetString());
    }

    [Fact]
    public void TryTranslate_ConsecutiveUserMessages_MergedIntoTextBlocks()
    {
        var root = Translate("""{"messages":[{"role":"user","content":"a"},{"role":"user","content":[{"type":"text","text":"b"}]},{"role":"assistant","content":"c"},{"role":"assistant","content":"d"}]}""");

        var messages = root.GetProperty("messages");
        Assert.Equal(2, messages.GetArrayLength());
        Assert.Equal("""[{"type":"text","text":"a"},{"type":"text","text":"b"}]""", Raw(messages[0].GetProperty("content")));
        Assert.Equal("assistant", messages[1].GetProperty("role").GetString());
        Assert.Equal("""[{"type":"text","text":"c"},{"type":"text","text":"d"}]""", Raw(messages[1].GetProperty("content")));
    }

    [Fact]
    public void TryTranslate_AssistantToolCalls_BecomeToolUseBlocksWithParsedInput()
    {
        var root = Translate("""
            {"messages":[
              {"role":"user","content":"Weather in Paris and Rome?"},
              {"role":"assistant","content":null,"tool_calls":[
                {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\",\"units\":{\"temp\":\"C\"},\"days\":[1,2.5e1]}"}},
                {"id":"call_2","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Rome\"}"}}]}]}
            """);

        var assistant = root.GetProperty("messages")[1];
        Assert.Equal("assistant", assistant.GetProperty("role").GetString());
        var blocks = assistant.GetProperty("content");
        Assert.Equal(2, blocks.GetArrayLength());
        Assert.Equal("tool_use", blocks[0].GetProperty("type").GetString());
        Assert.Equal("call_1", blocks[0].GetProperty("id").GetString());
        Assert.Equal("get_weather", blocks[0].GetProperty("name").GetString());
        var input = blocks[0].GetProperty("input");
        Assert.Equal(JsonValueKind.Object, input.ValueKind);
        Assert.Equal("Paris", input.GetProperty("city").GetString());
        Assert.Equal("C", input.GetProperty("units").GetProperty("temp").GetString());
        Assert.Equal(25, input.GetProperty("days")[1].GetDouble());
        Assert.Equal("Rome", blocks[1].GetProperty("input").GetProperty("city").GetString());
    }

    [Fact]
    public void TryTranslate_AssistantTextAndToolCalls_TextBlockBeforeToolUse()
    {
        var root = Translate("""{"messages":[{"role":"user","content":"x"},{"role":"assistant","content":"Let me look.","tool_calls":[{"id":"t","type":"function","function":{"name":"f","arguments":"{}"}}]}]}""");

        var blocks = root.GetProperty("messages")[1].GetProperty("content");
        Assert.Equal("text", blocks[0].GetProperty("type").GetString());
        Assert.Equal("Let me look.", blocks[0].GetProperty("text").GetString());
        Assert.Equal("tool_use", blocks[1].GetProperty("type").GetString());
        Assert.Equal("{}", Raw(blocks[1].GetProperty("input")));
    }

    [Fact]
    public void TryTranslate_EmptyArguments_InputIsAnEmptyObject()
    {
        var root = Translate("""{"messages":[{"role":"user","content":"x"},{"role":"assistant","content":"","tool_calls":[{"id":"t","type":"function","function":{"name":"now","arguments":""}}]}]}""");

        var blocks = root.GetProperty("messages")[1].GetProperty("content");
        Assert.Equal(1, blocks.GetArrayLength());
        Assert.Equal("{}", Raw(blocks[0].GetProperty("input")));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("\\\"text\\\"")]
    [InlineData("{\\\"a\\\":1} trailing")]
    [InlineData("{\\\"a\\\":")]
    public void TryTranslate_ToolCallArgumentsNotAJsonObject_RefusedWithParamMessages(string arguments)
    {
        var error = Refuse("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"t\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"" + arguments + "\"}}]}]}");

        Assert.Equal("messages", error.Param);
    }

    [Fact]
    public void TryTranslate_RunOfToolMessages_BecomesOneUserMessageOfToolResults()
    {
        var root = Translate("""
            {"messages":[
              {"role":"user","content":"Weather?"},
              {"role":"assistant","content":null,"tool_calls":[
                {"id":"call_1","type":"function","function":{"name":"w","arguments":"{}"}},
                {"id":"call_2","type":"function","function":{"name":"w","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"18°C"},
              {"role":"tool","tool_call_id":"call_2","content":[{"type":"text","text":"21°C"}]},
              {"role":"user","content":"Thanks"}]}
            """);

        var messages = root.GetProperty("messages");
        Assert.Equal(3, messages.GetArrayLength());
        var results = messages[2];
        Assert.Equal("user", results.GetProperty("role").GetString());
        var blocks = results.GetProperty("content");
        Assert.Equal(3, blocks.GetArrayLength());
        Assert.Equal("tool_result", blocks[0].GetProperty("type").GetString());
        Assert.Equal("call_1", blocks[0].GetProperty("tool_use_id").GetString());
        Assert.Equal("18°C", blocks[0].GetProperty("content").GetString());
        Assert.Equal("call_2", blocks[1].GetProperty("tool_use_id").GetString());
        Assert.Equal("21°C", blocks[1].GetProperty("content").GetString());
        Assert.Equal("text", blocks[2].GetProperty("type").GetString());
        Assert.Equal("Thanks", blocks[2].GetProperty("text").GetString());
    }

    [Fact]
    public void TryTranslate_ToolMessageWithoutToolCallId_Refused()
    {
        Assert.Equal("messages", Refuse("""{"messages":[{"role":"tool","content":"x"}]}""").Param);
    }

    [Fact]
    public void TryTranslate_ImageDataUrl_BecomesBase64Source()
    {
        var root = Translate("""{"messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo\/AAA+=","detail":"high"}}]}]}""");

        var blocks = root.GetProperty("messages")[0].GetProperty("content");
        Assert.Equal("text", blocks[0].GetProperty("type").GetString());
        var image = blocks[1];
        Assert.Equal("image", image.GetProperty("type").GetString());
        var source = image.GetProperty("source");
        Assert.Equal("base64", source.GetProperty("type").GetString());
        Assert.Equal("image/png", source.GetProperty("media_type").GetString());
        Assert.Equal("iVBORw0KGgo/AAA+=", source.GetProperty("data").GetString());
    }

    [Fact]
    public void TryTranslate_ImageHttpsUrl_BecomesUrlSource()
    {
        var root = Translate("""{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.com/cat.jpg?a=1&b=2"}}]}]}""");

        var source = root.GetProperty("messages")[0].GetProperty("content")[0].GetProperty("source");
        Assert.Equal("url", source.GetProperty("type").GetString());
        Assert.Equal("https://example.com/cat.jpg?a=1&b=2", source.GetProperty("url").GetString());
    }

    [Fact]
    public void TryTranslate_ImageDataUrlNotBase64_Refused()
    {
        Assert.Equal("messages", Refuse("""{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/svg+xml,<svg/>"}}]}]}""").Param);
    }

    [Fact]
    public void TryTranslate_UnsupportedContentPart_Refused()
    {
        var error = Refuse("""{"messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AAA","format":"wav"}}]}]}""");

        Assert.Equal("messages", error.Param);
        Assert.Contains("input_audio", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryTranslate_StopString_BecomesOneStopSequence()
    {
        var root = Translate("{\"stop\":\"END\",\"messages\":[" + Hi + "]}");

        Assert.Equal("""["END"]""", Raw(root.GetProperty("stop_sequences")));
        Assert.False(root.TryGetProperty("stop", out _));
    }

    [Fact]
    public void TryTranslate_StopArray_CopiedToStopSequences()
    {
        var root = Translate("{\"stop\":[\"\\n\\nHuman:\",\"###\"],\"messages\":[" + Hi + "]}");

        var stops = root.GetProperty("stop_sequences");
        Assert.Equal(2, stops.GetArrayLength());
        Assert.Equal("\n\nHuman:", stops[0].GetString());
        Assert.Equal("###", stops[1].GetString());
    }

    [Theory]
    [InlineData("1.7", 1.0)]
    [InlineData("2", 1.0)]
    [InlineData("1", 1.0)]
    [InlineData("0.3", 0.3)]
    [InlineData("0", 0.0)]
    public void TryTranslate_Temperature_ClampedToOne(string temperature, double expected)
    {
        var root = Translate("{\"temperature\":" + temperature + ",\"messages\":[" + Hi + "]}");

        Assert.Equal(expected, root.GetProperty("temperature").GetDouble());
    }

    [Fact]
    public void TryTranslate_TopPOfOne_NotSentBesideTemperature()
    {
        var body = Translate("{\"temperature\":0.7,\"top_p\":1,\"messages\":[" + Hi + "]}");

        Assert.False(body.TryGetProperty("top_p", out _));
        Assert.Equal(0.7, body.GetProperty("temperature").GetDouble());
    }

    [Fact]
    public void TryTranslate_TopP_Copied()
    {
        Assert.Equal(0.9, Translate("{\"top_p\":0.9,\"messages\":[" + Hi + "]}").GetProperty("top_p").GetDouble());
    }

    [Fact]
    public void TryTranslate_MaxCompletionTokensAndMaxTokens_MaxCompletionTokensWins()
    {
        Assert.Equal(300, Translate("{\"max_tokens\":100,\"max_completion_tokens\":300,\"messages\":[" + Hi + "]}").GetProperty("max_tokens").GetInt32());
        Assert.Equal(300, Translate("{\"max_completion_tokens\":300,\"max_tokens\":100,\"messages\":[" + Hi + "]}").GetProperty("max_tokens").GetInt32());
    }

    [Fact]
    public void TryTranslate_OnlyMaxTokens_Used()
    {
        Assert.Equal(100, Translate("{\"max_tokens\":100,\"messages\":[" + Hi + "]}").GetProperty("max_tokens").GetInt32());
    }

    [Fact]
    public void TryTranslate_NoMaxTokens_UsesTheDefaultGiven()
    {
        Assert.Equal(777, Translate("{\"max_completion_tokens\":null,\"messages\":[" + Hi + "]}", defaultMaxTokens: 777).GetProperty("max_tokens").GetInt32());
    }

    [Theory]
    [InlineData("\"max_completion_tokens\":0", "max_completion_tokens")]
    [InlineData("\"max_tokens\":\"ten\"", "max_tokens")]
    [InlineData("\"max_tokens\":1.5", "max_tokens")]
    public void TryTranslate_InvalidMaxTokens_Refused(string member, string param)
    {
        Assert.Equal(param, Refuse("{" + member + ",\"messages\":[" + Hi + "]}").Param);
    }

    [Fact]
    public void TryTranslate_User_BecomesMetadataUserId()
    {
        Assert.Equal("u-42", Translate("{\"user\":\"u-42\",\"messages\":[" + Hi + "]}").GetProperty("metadata").GetProperty("user_id").GetString());
    }

    [Fact]
    public void TryTranslate_SafetyIdentifierAndUser_SafetyIdentifierWins()
    {
        var root = Translate("{\"safety_identifier\":\"hash-1\",\"user\":\"u-42\",\"messages\":[" + Hi + "]}");

        Assert.Equal("""{"user_id":"hash-1"}""", Raw(root.GetProperty("metadata")));
    }

    [Fact]
    public void TryTranslate_StreamWithStreamOptions_StreamCopiedOptionsDropped()
    {
        var root = Translate("{\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[" + Hi + "]}");

        Assert.True(root.GetProperty("stream").GetBoolean());
        Assert.False(root.TryGetProperty("stream_options", out _));
    }

    [Fact]
    public void TryTranslate_IgnoredAndUnknownMembers_Dropped()
    {
        var root = Translate("""
            {"model":"gpt-4o","frequency_penalty":0.5,"presence_penalty":0.1,"seed":7,"logit_bias":{"50256":-100},
             "service_tier":"auto","store":true,"metadata":{"a":"b"},"modalities":["text"],"prediction":{"type":"content","content":"x"},
             "reasoning_effort":"low","n":1,"logprobs":false,"top_logprobs":0,"response_format":{"type":"text"},"x_custom":{"deep":[1]},
             "messages":[{"role":"user","content":"hi"}]}
            """);

        var names = root.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["max_tokens", "messages", "model"], names);
    }

    [Fact]
    public void TryTranslate_Tools_FunctionParametersBecomeInputSchema()
    {
        var root = Translate("""
            {"messages":[{"role":"user","content":"hi"}],"tools":[
              {"type":"function","function":{"name":"get_weather","description":"Current weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]},"strict":true}},
              {"type":"function","function":{"name":"now"}}]}
            """);

        var tools = root.GetProperty("tools");
        Assert.Equal(2, tools.GetArrayLength());
        Assert.Equal("get_weather", tools[0].GetProperty("name").GetString());
        Assert.Equal("Current weather", tools[0].GetProperty("description").GetString());
        Assert.Equal("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""", Raw(tools[0].GetProperty("input_schema")));
        Assert.False(tools[0].TryGetProperty("strict", out _));
        Assert.Equal("""{"name":"now","input_schema":{"type":"object"}}""", Raw(tools[1]));
        Assert.False(root.TryGetProperty("tool_choice", out _));
    }

    [Fact]
    public void TryTranslate_NonFunctionTool_Refused()
    {
        Assert.Equal("tools", Refuse("{\"tools\":[{\"type\":\"custom\",\"custom\":{\"name\":\"x\"}}],\"messages\":[" + Hi + "]}").Param);
    }

    private const string WeatherTool = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}}]";

    [Theory]
    [InlineData("\"auto\"", """{"type":"auto"}""")]
    [InlineData("\"required\"", """{"type":"any"}""")]
    [InlineData("\"none\"", """{"type":"none"}""")]
    [InlineData("""{"type":"function","function":{"name":"get_weather"}}""", """{"type":"tool","name":"get_weather"}""")]
    public void TryTranslate_ToolChoice_Mapped(string choice, string expected)
    {
        var root = Translate("{" + WeatherTool + ",\"tool_choice\":" + choice + ",\"messages\":[" + Hi + "]}");

        Assert.Equal(expected, Raw(root.GetProperty("tool_choice")));
    }

    [Fact]
    public void TryTranslate_UnknownToolChoice_Refused()
    {
        Assert.Equal("tool_choice", Refuse("{" + WeatherTool + ",\"tool_choice\":\"sometimes\",\"messages\":[" + Hi + "]}").Param);
    }

    [Fact]
    public void TryTranslate_ParallelToolCallsFalseWithoutToolChoice_AutoWithParallelUseDisabled()
    {
        var root = Translate("{" + WeatherTool + ",\"parallel_tool_calls\":false,\"messages\":[" + Hi + "]}");

        Assert.Equal("""{"type":"auto","disable_parallel_tool_use":true}""", Raw(root.GetProperty("tool_choice")));
    }

    [Fact]
    public void TryTranslate_ParallelToolCallsFalseWithRequired_AnyWithParallelUseDisabled()
    {
        var root = Translate("{" + WeatherTool + ",\"tool_choice\":\"required\",\"parallel_tool_calls\":false,\"messages\":[" + Hi + "]}");

        Assert.Equal("""{"type":"any","disable_parallel_tool_use":true}""", Raw(root.GetProperty("tool_choice")));
    }

    [Fact]
    public void TryTranslate_ParallelToolCallsFalseWithNone_NoneWithoutTheFlag()
    {
        var root = Translate("{" + WeatherTool + ",\"tool_choice\":\"none\",\"parallel_tool_calls\":false,\"messages\":[" + Hi + "]}");

        Assert.Equal("""{"type":"none"}""", Raw(root.GetProperty("tool_choice")));
    }

    [Fact]
    public void TryTranslate_AssistantRefusalPart_BecomesTextBlock()
    {
        var root = Translate("""{"messages":[{"role":"user","content":"x"},{"role":"assistant","content":[{"type":"refusal","refusal":"I can't help with that."}]}]}""");

        Assert.Equal("""[{"type":"text","text":"I can't help with that."}]""", Raw(root.GetProperty("messages")[1].GetProperty("content")));
    }

    [Fact]
    public void TryTranslate_ParallelToolCallsTrue_NoToolChoiceWritten()
    {
        Assert.False(Translate("{" + WeatherTool + ",\"parallel_tool_calls\":true,\"messages\":[" + Hi + "]}").TryGetProperty("tool_choice", out _));
    }

    [Fact]
    public void TryTranslate_ToolChoiceWithoutTools_Dropped()
    {
        Assert.False(Translate("{\"tool_choice\":\"auto\",\"parallel_tool_calls\":false,\"messages\":[" + Hi + "]}").TryGetProperty("tool_choice", out _));
    }

    [Theory]
    [InlineData("\"n\":2", "n")]
    [InlineData("\"logprobs\":true", "logprobs")]
    [InlineData("\"top_logprobs\":3", "top_logprobs")]
    [InlineData("\"response_format\":{\"type\":\"json_object\"}", "response_format")]
    [InlineData("\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\",\"schema\":{}}}", "response_format")]
    public void TryTranslate_UnsupportedOption_RefusedWithItsParam(string member, string param)
    {
        var error = Refuse("{" + member + ",\"messages\":[" + Hi + "]}");

        Assert.Equal(param, error.Param);
    }

    [Fact]
    public void TryTranslate_ResponseFormatJsonSchema_MessageSaysAnthropicHasNoEquivalent()
    {
        var error = Refuse("{\"response_format\":{\"type\":\"json_schema\"},\"messages\":[" + Hi + "]}");

        Assert.Contains("Anthropic", error.Message, StringComparison.Ordinal);
        Assert.Contains(AnthropicWire.Version, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"messages":[]}""")]
    [InlineData("""{"messages":[{"role":"system","content":"only a prompt"}]}""")]
    [InlineData("""{"messages":[{"role":"developer","content":"x"},{"role":"system","content":"y"}]}""")]
    [InlineData("""{"messages":[{"role":"wizard","content":"x"}]}""")]
    [InlineData("""{"messages":[{"role":"function","name":"f","content":"x"}]}""")]
    [InlineData("""{"messages":[{"content":"no role"}]}""")]
    [InlineData("""{"messages":["text"]}""")]
    [InlineData("""{"model":"m"}""")]
    [InlineData("""{"messages":{"role":"user"}}""")]
    public void TryTranslate_BadMessages_RefusedWithParamMessages(string body)
    {
        Assert.Equal("messages", Refuse(body).Param);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]")]
    public void TryTranslate_NotAJsonObject_ReturnsAnErrorWithoutThrowing(string body)
    {
        var error = Refuse(body);

        Assert.Null(error.Param);
    }

    [Fact]
    public void TryTranslate_StringsWithQuotesUnicodeAndEscapes_RoundTripExactly()
    {
        const string Tricky = "He said \"hi\" \\ back/slash\n\ttab \u0001 é 日本語 🎉 \u2028 </script>";
        var encoded = JsonSerializer.Serialize(Tricky);
        var escapedArgs = JsonSerializer.Serialize(JsonSerializer.Serialize(new Dictionary<string, string> { ["q"] = Tricky }));
        var body = "{\"stop\":" + encoded + ",\"user\":" + encoded + ",\"messages\":["
            + "{\"role\":\"system\",\"content\":" + encoded + "},"
            + "{\"role\":\"user\",\"content\":" + encoded + "},"
            + "{\"role\":\"assistant\",\"content\":" + encoded + ",\"tool_calls\":[{\"id\":" + encoded + ",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":" + escapedArgs + "}}]},"
            + "{\"role\":\"tool\",\"tool_call_id\":" + encoded + ",\"content\":" + encoded + "}],"
            + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"description\":" + encoded + ",\"parameters\":{\"type\":\"object\",\"description\":" + encoded + "}}}]}";

        var root = Translate(body);

        Assert.Equal(Tricky, root.GetProperty("system").GetString());
        Assert.Equal(Tricky, root.GetProperty("stop_sequences")[0].GetString());
        Assert.Equal(Tricky, root.GetProperty("metadata").GetProperty("user_id").GetString());
        var messages = root.GetProperty("messages");
        Assert.Equal(Tricky, messages[0].GetProperty("content").GetString());
        var assistant = messages[1].GetProperty("content");
        Assert.Equal(Tricky, assistant[0].GetProperty("text").GetString());
        Assert.Equal(Tricky, assistant[1].GetProperty("id").GetString());
        Assert.Equal(Tricky, assistant[1].GetProperty("input").GetProperty("q").GetString());
        var result = messages[2].GetProperty("content")[0];
        Assert.Equal(Tricky, result.GetProperty("tool_use_id").GetString());
        Assert.Equal(Tricky, result.GetProperty("content").GetString());
        var tool = root.GetProperty("tools")[0];
        Assert.Equal(Tricky, tool.GetProperty("description").GetString());
        Assert.Equal(Tricky, tool.GetProperty("input_schema").GetProperty("description").GetString());
    }

    [Fact]
    public void TryTranslate_SameBodyTwice_SameOutput()
    {
        var body = Encoding.UTF8.GetBytes("{\"messages\":[{\"role\":\"system\",\"content\":\"s\"}," + Hi + "],\"temperature\":1.5}");
        var first = new ArrayBufferWriter<byte>();
        var second = new ArrayBufferWriter<byte>();

        Assert.True(AnthropicRequestTranslator.TryTranslate(body, "m", 10, first, out _));
        Assert.True(AnthropicRequestTranslator.TryTranslate(body, "m", 10, second, out _));

        Assert.Equal(first.WrittenSpan.ToArray(), second.WrittenSpan.ToArray());
    }
}

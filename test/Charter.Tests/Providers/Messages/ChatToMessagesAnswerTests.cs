// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using System.Text.Json;
using Charter.Providers.Messages;

namespace Charter.Tests.Providers.Messages;

public sealed class ChatToMessagesAnswerTests
{
    private const string Usage = "\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":30,\"total_tokens\":150,\"prompt_tokens_details\":{\"cached_tokens\":100}}";

    private static JsonElement Translate(string chat, string messageId = "msg_01", string model = "claude-sonnet-4-5")
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.True(ChatToMessagesAnswer.TryTranslate(Encoding.UTF8.GetBytes(chat), messageId, model, output));
        using var document = JsonDocument.Parse(output.WrittenMemory);
        var root = document.RootElement.Clone();
        MessagesShapes.AssertMessage(root);
        return root;
    }

    // A completion whose first choice has the given message and finish_reason (both raw JSON).
    private static string Completion(string message, string finishReason, string usage = Usage) =>
        "{\"id\":\"chatcmpl-9\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"gpt-4o-2024-08-06\",\"choices\":[{\"index\":0,\"message\":"
        + message + ",\"logprobs\":null,\"finish_reason\":" + finishReason + "}]" + (usage.Length > 0 ? "," + usage : string.Empty) + "}";

    [Fact]
    public void TryTranslate_TextAnswer_MessageWithTextBlockAndUsage()
    {
        var root = Translate(Completion("""{"role":"assistant","content":"Bonjour \"le\" monde \u00e9","refusal":null}""", "\"stop\""), "msg_abc", "claude-opus-4-1");

        Assert.Equal(["id", "type", "role", "model", "content", "stop_reason", "stop_sequence", "usage"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("msg_abc", root.GetProperty("id").GetString());
        Assert.Equal("claude-opus-4-1", root.GetProperty("model").GetString());
        Assert.Equal("""[{"type":"text","text":"Bonjour \"le\" monde é"}]""", root.GetProperty("content").GetRawText());
        Assert.Equal("end_turn", root.GetProperty("stop_reason").GetString());
        Assert.Equal("""{"input_tokens":20,"output_tokens":30,"cache_read_input_tokens":100,"cache_creation_input_tokens":0}""", root.GetProperty("usage").GetRawText());
    }

    [Theory]
    [InlineData("\"stop\"", "end_turn")]
    [InlineData("\"length\"", "max_tokens")]
    [InlineData("\"tool_calls\"", "tool_use")]
    [InlineData("\"function_call\"", "tool_use")]
    [InlineData("\"content_filter\"", "refusal")]
    [InlineData("\"something_else\"", "end_turn")]
    [InlineData("null", "end_turn")]
    public void TryTranslate_FinishReason_MappedToStopReason(string finishReason, string stopReason)
    {
        var root = Translate(Completion("""{"role":"assistant","content":"x"}""", finishReason));

        Assert.Equal(stopReason, root.GetProperty("stop_reason").GetString());
    }

    [Fact]
    public void TryTranslate_ToolCalls_ToolUseBlocksWithParsedInput()
    {
        var root = Translate(Completion("""
            {"role":"assistant","content":null,"tool_calls":[
              {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\": \"Paris\", \"days\": [1, 2], \"u\": \"caf\\u00e9\"}"}},
              {"id":"call_2","type":"function","function":{"name":"get_time","arguments":""}},
              {"id":"call_3","type":"function","function":{"name":"broken","arguments":"{\"city\": \"Par"}},
              {"id":"call_4","type":"function","function":{"name":"array","arguments":"[1,2]"}},
              {"id":"call_5","type":"function","function":{"name":"two","arguments":"{} {}"}}]}
            """, "\"tool_calls\""));

        var content = root.GetProperty("content");
        Assert.Equal(5, content.GetArrayLength());
        Assert.Equal("""{"type":"tool_use","id":"call_1","name":"get_weather","input":{"city":"Paris","days":[1,2],"u":"café"}}""", content[0].GetRawText());
        Assert.Equal("{}", content[1].GetProperty("input").GetRawText());
        Assert.Equal("{}", content[2].GetProperty("input").GetRawText());
        Assert.Equal("{}", content[3].GetProperty("input").GetRawText());
        Assert.Equal("{}", content[4].GetProperty("input").GetRawText());
        Assert.Equal("tool_use", root.GetProperty("stop_reason").GetString());
    }

    [Fact]
    public void TryTranslate_TextThenToolCalls_TextBlockFirst()
    {
        var root = Translate(Completion("""{"role":"assistant","content":"Checking.","tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{\"a\":1}"}}]}""", "\"tool_calls\""));

        var content = root.GetProperty("content");
        Assert.Equal(["text", "tool_use"], content.EnumerateArray().Select(b => b.GetProperty("type").GetString()));
        Assert.Equal("Checking.", content[0].GetProperty("text").GetString());
        Assert.Equal(1, content[1].GetProperty("input").GetProperty("a").GetInt32());
    }

    [Fact]
    public void TryTranslate_ToolCallsFinishedWithStop_StopReasonToolUse()
    {
        // Some OpenAI-compatible servers end a tool call with "stop"; the client runs tools on tool_use.
        var root = Translate(Completion("""{"role":"assistant","content":"","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]}""", "\"stop\""));

        Assert.Equal("tool_use", root.GetProperty("stop_reason").GetString());
        Assert.Equal(1, root.GetProperty("content").GetArrayLength());
    }

    [Fact]
    public void TryTranslate_ToolCallWithoutId_IdMadeFromTheMessageId()
    {
        var root = Translate(Completion("""{"role":"assistant","content":null,"tool_calls":[{"type":"function","function":{"name":"f","arguments":"{}"}}]}""", "\"tool_calls\""), "msg_XYZ");

        Assert.Equal("toolu_XYZ_0", root.GetProperty("content")[0].GetProperty("id").GetString());
    }

    [Fact]
    public void TryTranslate_LegacyFunctionCall_ToolUseBlock()
    {
        var root = Translate(Completion("""{"role":"assistant","content":null,"function_call":{"name":"lookup","arguments":"{\"q\":\"x\"}"}}""", "\"function_call\""));

        var block = root.GetProperty("content")[0];
        Assert.Equal("lookup", block.GetProperty("name").GetString());
        Assert.Equal("""{"q":"x"}""", block.GetProperty("input").GetRawText());
        Assert.Equal("tool_use", root.GetProperty("stop_reason").GetString());
    }

    [Fact]
    public void TryTranslate_Refusal_TextBlock()
    {
        var root = Translate(Completion("""{"role":"assistant","content":null,"refusal":"I can't help with that."}""", "\"stop\""));

        Assert.Equal("""[{"type":"text","text":"I can't help with that."}]""", root.GetProperty("content").GetRawText());
    }

    [Theory]
    [InlineData("""{"role":"assistant","content":""}""")]
    [InlineData("""{"role":"assistant","content":null}""")]
    [InlineData("""{"role":"assistant"}""")]
    public void TryTranslate_EmptyOrNullContent_NoBlocks(string message)
    {
        var root = Translate(Completion(message, "\"stop\""));

        Assert.Equal(0, root.GetProperty("content").GetArrayLength());
    }

    [Fact]
    public void TryTranslate_ContentParts_OneTextBlockEach()
    {
        var root = Translate(Completion("""{"role":"assistant","content":[{"type":"text","text":"A"},{"type":"text","text":""},{"type":"text","text":"B"}]}""", "\"stop\""));

        Assert.Equal("""[{"type":"text","text":"A"},{"type":"text","text":"B"}]""", root.GetProperty("content").GetRawText());
    }

    [Fact]
    public void TryTranslate_NoUsage_Zeros()
    {
        var root = Translate(Completion("""{"role":"assistant","content":"x"}""", "\"stop\"", usage: string.Empty));

        Assert.Equal("""{"input_tokens":0,"output_tokens":0,"cache_read_input_tokens":0,"cache_creation_input_tokens":0}""", root.GetProperty("usage").GetRawText());
    }

    [Fact]
    public void TryTranslate_UsageWithoutCache_AllPromptTokensAreInput()
    {
        var root = Translate(Completion("""{"role":"assistant","content":"x"}""", "\"stop\"", "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":4,\"total_tokens\":13}"));

        Assert.Equal(9, root.GetProperty("usage").GetProperty("input_tokens").GetInt32());
        Assert.Equal(4, root.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        Assert.Equal(0, root.GetProperty("usage").GetProperty("cache_read_input_tokens").GetInt32());
    }

    [Fact]
    public void TryTranslate_WhitespaceAroundTheBody_Translated()
    {
        var root = Translate("\n " + Completion("""{"role":"assistant","content":"x"}""", "\"stop\"") + "\n");

        Assert.Equal("x", root.GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"error":{"message":"nope","type":"server_error"}}""")]
    [InlineData("""{"id":"x","object":"chat.completion","choices":[]}""")]
    [InlineData("""{"id":"x","object":"chat.completion","choices":"no"}""")]
    [InlineData("""{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"content":"x"}""")]
    public void TryTranslate_NotAChatCompletion_FalseAndNothingWritten(string body)
    {
        var output = new ArrayBufferWriter<byte>();

        Assert.False(ChatToMessagesAnswer.TryTranslate(Encoding.UTF8.GetBytes(body), "msg_1", "m", output));
        Assert.Equal(0, output.WrittenCount);
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using System.Text.Json;
using Charter.Providers.Anthropic;

namespace Charter.Tests.Providers.Anthropic;

public sealed class AnthropicResponseTranslatorTests
{
    private const string TextMessage = """
        {"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
         "content":[{"type":"text","text":"Hello! How can I help?"}],
         "stop_reason":"end_turn","stop_sequence":null,
         "usage":{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":8,"service_tier":"standard"}}
        """;

    private const string ToolMessage = """
        {"id":"msg_01Aq9w938a90dw8q","type":"message","role":"assistant","model":"claude-sonnet-4-5",
         "content":[
           {"type":"thinking","thinking":"The user wants weather.","signature":"EqQBCgIYAhIM"},
           {"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"get_weather","input":{ "location" : "San Francisco, CA", "unit": "celsius", "days": [1, 2], "exact": 1.50, "flag": true, "none": null }},
           {"type":"tool_use","id":"toolu_02","name":"get_time","input":{}}],
         "stop_reason":"tool_use","stop_sequence":null,
         "usage":{"input_tokens":100,"cache_creation_input_tokens":20,"cache_read_input_tokens":300,"output_tokens":45}}
        """;

    private static JsonElement Translate(string body)
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.True(AnthropicResponseTranslator.TryTranslate(Encoding.UTF8.GetBytes(body), "gpt-4o", 1_700_000_000, output));
        using var document = JsonDocument.Parse(output.WrittenMemory);
        var root = document.RootElement.Clone();
        OpenAiShapes.AssertChatCompletion(root);
        return root;
    }

    [Fact]
    public void TryTranslate_TextMessage_WritesAChatCompletion()
    {
        var root = Translate(TextMessage);

        Assert.Equal("chatcmpl-msg_01XFDUDYJgAACzvnptvVoYEL", root.GetProperty("id").GetString());
        Assert.Equal("chat.completion", root.GetProperty("object").GetString());
        Assert.Equal(1_700_000_000, root.GetProperty("created").GetInt64());
        Assert.Equal("gpt-4o", root.GetProperty("model").GetString());
        var choice = root.GetProperty("choices")[0];
        Assert.Equal(0, choice.GetProperty("index").GetInt32());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(JsonValueKind.Null, choice.GetProperty("logprobs").ValueKind);
        var message = choice.GetProperty("message");
        Assert.Equal("assistant", message.GetProperty("role").GetString());
        Assert.Equal("Hello! How can I help?", message.GetProperty("content").GetString());
        Assert.Equal(JsonValueKind.Null, message.GetProperty("refusal").ValueKind);
        Assert.False(message.TryGetProperty("tool_calls", out _));
    }

    [Fact]
    public void TryTranslate_SeveralTextBlocks_JoinedIntoContent()
    {
        var root = Translate("""{"id":"m","type":"message","content":[{"type":"text","text":"The answer"},{"type":"text","text":" is \"42\".","citations":[]},{"type":"text","text":""}],"stop_reason":"end_turn"}""");

        Assert.Equal("The answer is \"42\".", root.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.False(root.TryGetProperty("usage", out _));
    }

    [Fact]
    public void TryTranslate_ToolUseBlocks_BecomeToolCallsWithCompactArguments()
    {
        var root = Translate(ToolMessage);

        var choice = root.GetProperty("choices")[0];
        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
        var message = choice.GetProperty("message");
        Assert.Equal(JsonValueKind.Null, message.GetProperty("content").ValueKind);
        var calls = message.GetProperty("tool_calls");
        Assert.Equal(2, calls.GetArrayLength());
        Assert.Equal("toolu_01A09q90qw90lq917835lq9", calls[0].GetProperty("id").GetString());
        Assert.Equal("function", calls[0].GetProperty("type").GetString());
        Assert.Equal("get_weather", calls[0].GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("""{"location":"San Francisco, CA","unit":"celsius","days":[1,2],"exact":1.50,"flag":true,"none":null}""", calls[0].GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal("{}", calls[1].GetProperty("function").GetProperty("arguments").GetString());
    }

    [Fact]
    public void TryTranslate_TextAndToolUse_ContentAndToolCalls()
    {
        var root = Translate("""{"id":"m","type":"message","content":[{"type":"text","text":"Checking."},{"type":"tool_use","id":"t1","name":"f","input":{"a":"x\"y"}}],"stop_reason":"tool_use"}""");

        var message = root.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal("Checking.", message.GetProperty("content").GetString());
        var arguments = message.GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString()!;
        using var parsed = JsonDocument.Parse(arguments);
        Assert.Equal("x\"y", parsed.RootElement.GetProperty("a").GetString());
    }

    [Fact]
    public void TryTranslate_NoTextNoTools_ContentIsEmptyString()
    {
        var root = Translate("""{"id":"m","type":"message","content":[],"stop_reason":"max_tokens"}""");

        Assert.Equal("", root.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Theory]
    [InlineData("\"end_turn\"", "stop")]
    [InlineData("\"stop_sequence\"", "stop")]
    [InlineData("\"max_tokens\"", "length")]
    [InlineData("\"tool_use\"", "tool_calls")]
    [InlineData("\"refusal\"", "content_filter")]
    [InlineData("\"model_context_window_exceeded\"", "length")]
    [InlineData("\"pause_turn\"", "stop")]
    [InlineData("\"something_new\"", "stop")]
    [InlineData("null", "stop")]
    public void TryTranslate_StopReason_MappedToFinishReason(string stopReason, string finishReason)
    {
        var root = Translate("{\"id\":\"m\",\"type\":\"message\",\"content\":[{\"type\":\"text\",\"text\":\"x\"}],\"stop_reason\":" + stopReason + "}");

        Assert.Equal(finishReason, root.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public void TryTranslate_UsageWithCacheTokens_PromptCountsCacheReadsAndWrites()
    {
        var usage = Translate(ToolMessage).GetProperty("usage");

        Assert.Equal(420, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(45, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(465, usage.GetProperty("total_tokens").GetInt32());
        Assert.Equal(300, usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
    }

    [Fact]
    public void TryTranslate_UsageWithNullCacheTokens_CountsThemAsZero()
    {
        var usage = Translate("""{"id":"m","type":"message","content":[],"stop_reason":"end_turn","usage":{"input_tokens":5,"cache_creation_input_tokens":null,"cache_read_input_tokens":null,"output_tokens":3}}""").GetProperty("usage");

        Assert.Equal("""{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8,"prompt_tokens_details":{"cached_tokens":0}}""", usage.GetRawText());
    }

    [Fact]
    public void TryTranslate_StringsWithEscapes_RoundTripExactly()
    {
        const string Tricky = "Quote \" backslash \\ newline\n tab\t ctl\u0001 é 日本語 🎉 </script>";
        var encoded = JsonSerializer.Serialize(Tricky);
        var root = Translate("{\"id\":" + encoded + ",\"type\":\"message\",\"content\":[{\"type\":\"text\",\"text\":" + encoded + "},{\"type\":\"tool_use\",\"id\":" + encoded + ",\"name\":" + encoded + ",\"input\":{\"k\":" + encoded + "}}],\"stop_reason\":\"tool_use\"}");

        Assert.Equal("chatcmpl-" + Tricky, root.GetProperty("id").GetString());
        var message = root.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal(Tricky, message.GetProperty("content").GetString());
        var call = message.GetProperty("tool_calls")[0];
        Assert.Equal(Tricky, call.GetProperty("id").GetString());
        Assert.Equal(Tricky, call.GetProperty("function").GetProperty("name").GetString());
        using var arguments = JsonDocument.Parse(call.GetProperty("function").GetProperty("arguments").GetString()!);
        Assert.Equal(Tricky, arguments.RootElement.GetProperty("k").GetString());
    }

    [Fact]
    public void TryTranslate_ModelNameWithQuotes_Escaped()
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.True(AnthropicResponseTranslator.TryTranslate(Encoding.UTF8.GetBytes(TextMessage), "my \"model\"", 1, output));

        using var document = JsonDocument.Parse(output.WrittenMemory);
        Assert.Equal("my \"model\"", document.RootElement.GetProperty("model").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"type":"error","error":{"type":"api_error","message":"boom"}}""")]
    [InlineData("""{"id":"m","type":"message","stop_reason":"end_turn"}""")]
    [InlineData("""{"type":"message","content":[]}""")]
    [InlineData("""{"id":"m","type":"message","content":[1]}""")]
    [InlineData("""{"id":"m","type":"message","content":[{"type":"tool_use","input":{}}]}""")]
    [InlineData("""{"id":"m","type":"message","content":[{"type":"text","text":"cut""")]
    public void TryTranslate_NotAMessagesResponse_ReturnsFalseAndWritesNothing(string body)
    {
        var output = new ArrayBufferWriter<byte>();

        Assert.False(AnthropicResponseTranslator.TryTranslate(Encoding.UTF8.GetBytes(body), "gpt-4o", 1, output));
        Assert.Equal(0, output.WrittenCount);
    }
}

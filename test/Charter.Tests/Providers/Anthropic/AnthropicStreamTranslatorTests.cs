// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using System.Text.Json;
using Charter.Errors;
using Charter.Providers.Anthropic;
using Charter.Streaming;

namespace Charter.Tests.Providers.Anthropic;

public sealed class AnthropicStreamTranslatorTests
{
    private const long Created = 1_700_000_123;

    private static (string Output, StreamOutcome Outcome) Run(string upstream, bool includeUsage = false, ArrayBufferWriter<byte>? completionText = null)
    {
        var translator = new AnthropicStreamTranslator("gpt-4o", Created, includeUsage, completionText);
        var client = new ArrayBufferWriter<byte>();
        var outcome = default(StreamOutcome);
        var bytes = Encoding.UTF8.GetBytes(upstream);

        var consumed = translator.ProcessEvents(bytes, client, ref outcome);

        Assert.Equal(bytes.Length, consumed);
        return (Encoding.UTF8.GetString(client.WrittenSpan), outcome);
    }

    // The data of each event written, in order; every event is exactly "data: …\n\n".
    private static List<string> Events(string output)
    {
        Assert.EndsWith("\n\n", output, StringComparison.Ordinal);
        var events = output[..^2].Split("\n\n");
        Assert.All(events, e => Assert.StartsWith("data: ", e, StringComparison.Ordinal));
        Assert.All(events, e => Assert.DoesNotContain('\n', e));
        return [.. events.Select(e => e["data: ".Length..])];
    }

    private static List<JsonElement> Chunks(string output)
    {
        var chunks = new List<JsonElement>();
        foreach (var data in Events(output).Where(d => d != "[DONE]"))
        {
            using var document = JsonDocument.Parse(data);
            var chunk = document.RootElement.Clone();
            if (!chunk.TryGetProperty("error", out _))
            {
                OpenAiShapes.AssertChunk(chunk);
                chunks.Add(chunk);
            }
        }

        return chunks;
    }

    private static JsonElement Delta(JsonElement chunk) => chunk.GetProperty("choices")[0].GetProperty("delta");

    private static JsonElement FinishReason(JsonElement chunk) => chunk.GetProperty("choices")[0].GetProperty("finish_reason");

    [Fact]
    public void ProcessEvents_TextStream_RoleTextFinishThenDone()
    {
        var (output, outcome) = Run(AnthropicStreamFixtures.Text);

        var events = Events(output);
        Assert.Equal("[DONE]", events[^1]);
        var chunks = Chunks(output);
        Assert.Equal(4, chunks.Count);
        Assert.Equal("""{"role":"assistant","content":""}""", Delta(chunks[0]).GetRawText());
        Assert.Equal("Bonjour \"le\" monde", Delta(chunks[1]).GetProperty("content").GetString());
        Assert.Equal(" — café 日本\n", Delta(chunks[2]).GetProperty("content").GetString());
        Assert.Equal("{}", Delta(chunks[3]).GetRawText());
        Assert.Equal("stop", FinishReason(chunks[3]).GetString());
        Assert.All(chunks[..3], c => Assert.Equal(JsonValueKind.Null, FinishReason(c).ValueKind));
        Assert.All(chunks, c =>
        {
            Assert.Equal("chatcmpl-msg_01HCDu5LRGeP2o7s2xGmxyx8", c.GetProperty("id").GetString());
            Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString());
            Assert.Equal(Created, c.GetProperty("created").GetInt64());
            Assert.Equal("gpt-4o", c.GetProperty("model").GetString());
            Assert.Equal(JsonValueKind.Null, c.GetProperty("choices")[0].GetProperty("logprobs").ValueKind);
            Assert.False(c.TryGetProperty("usage", out _));
        });
        Assert.True(outcome.SawDone);
        Assert.Equal(CharterError.None, outcome.Error);
        Assert.Equal(2, outcome.ContentChunks);
    }

    [Fact]
    public void ProcessEvents_TextStream_UsageCountsCacheTokens()
    {
        var (_, outcome) = Run(AnthropicStreamFixtures.Text);

        Assert.True(outcome.Usage.Present);
        Assert.Equal(135, outcome.Usage.PromptTokens);
        Assert.Equal(12, outcome.Usage.CompletionTokens);
        Assert.Equal(100, outcome.Usage.CachedTokens);
    }

    [Fact]
    public void ProcessEvents_IncludeUsage_UsageNullOnEveryChunkThenUsageChunkBeforeDone()
    {
        var (output, outcome) = Run(AnthropicStreamFixtures.Text, includeUsage: true);

        var events = Events(output);
        Assert.Equal("[DONE]", events[^1]);
        var chunks = Chunks(output);
        Assert.Equal(5, chunks.Count);
        Assert.All(chunks[..4], c => Assert.Equal(JsonValueKind.Null, c.GetProperty("usage").ValueKind));
        var last = chunks[4];
        Assert.Equal(0, last.GetProperty("choices").GetArrayLength());
        Assert.Equal("chatcmpl-msg_01HCDu5LRGeP2o7s2xGmxyx8", last.GetProperty("id").GetString());
        Assert.Equal("""{"prompt_tokens":135,"completion_tokens":12,"total_tokens":147,"prompt_tokens_details":{"cached_tokens":100}}""", last.GetProperty("usage").GetRawText());
        Assert.True(outcome.SawDone);
    }

    [Fact]
    public void ProcessEvents_IncludeUsageOff_NoUsageChunk()
    {
        var (output, _) = Run(AnthropicStreamFixtures.Text, includeUsage: false);

        Assert.DoesNotContain("\"usage\"", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\"choices\":[]", output, StringComparison.Ordinal);
    }

    [Fact]
    public void ProcessEvents_CompletionText_ReceivesTheEscapedTextDeltas()
    {
        var text = new ArrayBufferWriter<byte>();

        Run(AnthropicStreamFixtures.Text, completionText: text);

        Assert.Equal("Bonjour \\\"le\\\" monde \\u2014 caf\\u00e9 日本\\n", Encoding.UTF8.GetString(text.WrittenSpan));
    }

    [Fact]
    public void ProcessEvents_ToolUseStream_ToolCallsIndexedFromZeroWithArgumentPieces()
    {
        var (output, outcome) = Run(AnthropicStreamFixtures.Tools);

        var chunks = Chunks(output);
        Assert.Equal("Let me check.", Delta(chunks[1]).GetProperty("content").GetString());
        var start = Delta(chunks[2]).GetProperty("tool_calls")[0];
        Assert.Equal("""{"index":0,"id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","type":"function","function":{"name":"get_weather","arguments":""}}""", start.GetRawText());
        Assert.Equal("""{"index":0,"function":{"arguments":"{\"location\": \"San Fra"}}""", Delta(chunks[3]).GetProperty("tool_calls")[0].GetRawText());

        var arguments = new Dictionary<int, StringBuilder>();
        var ids = new Dictionary<int, string>();
        foreach (var chunk in chunks.Where(c => Delta(c).TryGetProperty("tool_calls", out _)))
        {
            var call = Delta(chunk).GetProperty("tool_calls")[0];
            var index = call.GetProperty("index").GetInt32();
            if (call.TryGetProperty("id", out var id))
            {
                ids[index] = id.GetString()!;
                arguments[index] = new StringBuilder();
            }

            arguments[index].Append(call.GetProperty("function").GetProperty("arguments").GetString());
        }

        Assert.Equal(["toolu_01T1x1fJ34qAmk2tNTrN7Up6", "toolu_02"], ids.OrderBy(p => p.Key).Select(p => p.Value));
        using (var first = JsonDocument.Parse(arguments[0].ToString()))
        {
            Assert.Equal("San Francisco, CA", first.RootElement.GetProperty("location").GetString());
            Assert.Equal("fahrenheit", first.RootElement.GetProperty("unit").GetString());
        }

        using (var second = JsonDocument.Parse(arguments[1].ToString()))
        {
            Assert.Equal("Europe/Paris", second.RootElement.GetProperty("tz").GetString());
        }

        Assert.Equal("tool_calls", FinishReason(chunks[^1]).GetString());
        Assert.Equal("{}", Delta(chunks[^1]).GetRawText());
        Assert.Equal(1, outcome.ContentChunks);
        Assert.Equal(472, outcome.Usage.PromptTokens);
        Assert.Equal(89, outcome.Usage.CompletionTokens);
        Assert.True(outcome.SawDone);
    }

    [Fact]
    public void ProcessEvents_ThinkingPingAndBlockStops_WriteNothing()
    {
        var (output, _) = Run(AnthropicStreamFixtures.Tools);

        // role, text, 2 tool starts, 4 argument pieces (the empty one dropped), finish, [DONE]
        Assert.Equal(10, Events(output).Count);
        Assert.DoesNotContain("Two cities", output, StringComparison.Ordinal);
        Assert.DoesNotContain("signature", output, StringComparison.Ordinal);
    }

    [Fact]
    public void ProcessEvents_ErrorEventMidStream_ErrorWrittenNoDoneRestIgnored()
    {
        var (output, outcome) = Run(AnthropicStreamFixtures.ErrorMidStream);

        var events = Events(output);
        Assert.Equal(3, events.Count);
        Assert.Equal("""{"error":{"message":"Overloaded","type":"overloaded_error","param":null,"code":"overloaded"}}""", events[^1]);
        Assert.DoesNotContain("[DONE]", output, StringComparison.Ordinal);
        Assert.DoesNotContain("ignored", output, StringComparison.Ordinal);
        Assert.Equal(CharterError.UpstreamError, outcome.Error);
        Assert.False(outcome.SawDone);
        Assert.Equal(1, outcome.ContentChunks);
    }

    [Fact]
    public void ProcessEvents_ErrorEventWithoutDetails_GenericApiError()
    {
        var (output, outcome) = Run("event: error\ndata: {\"type\":\"error\"}\n\n");

        using var document = JsonDocument.Parse(Events(output)[0]);
        OpenAiShapes.AssertError(document.RootElement);
        Assert.Equal("api_error", document.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(CharterError.UpstreamError, outcome.Error);
    }

    public static TheoryData<string> Fixtures => new() { "Text", "Tools", "ErrorMidStream" };

    private static string Fixture(string name) => name switch
    {
        "Text" => AnthropicStreamFixtures.Text,
        "Tools" => AnthropicStreamFixtures.Tools,
        _ => AnthropicStreamFixtures.ErrorMidStream,
    };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void ProcessEvents_SplitAtEveryByteAcrossTwoCalls_SameOutput(string fixture)
    {
        var bytes = Encoding.UTF8.GetBytes(Fixture(fixture));
        var (expected, expectedOutcome) = Run(Fixture(fixture), includeUsage: true);

        for (var split = 0; split <= bytes.Length; split++)
        {
            var translator = new AnthropicStreamTranslator("gpt-4o", Created, includeUsage: true, completionText: null);
            var client = new ArrayBufferWriter<byte>();
            var outcome = default(StreamOutcome);

            var first = translator.ProcessEvents(bytes.AsSpan(0, split), client, ref outcome);
            Assert.InRange(first, 0, split);
            var second = translator.ProcessEvents(bytes.AsSpan(first), client, ref outcome);

            Assert.Equal(bytes.Length, first + second);
            Assert.Equal(expected, Encoding.UTF8.GetString(client.WrittenSpan));
            Assert.Equal(expectedOutcome, outcome);
        }
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void ProcessEvents_CrlfLineEndings_SameOutputAsLf(string fixture)
    {
        var (lf, lfOutcome) = Run(Fixture(fixture), includeUsage: true);
        var (crlf, crlfOutcome) = Run(Fixture(fixture).Replace("\n", "\r\n", StringComparison.Ordinal), includeUsage: true);

        Assert.Equal(lf, crlf);
        Assert.Equal(lfOutcome, crlfOutcome);
    }

    [Fact]
    public void ProcessEvents_CrlfSplitAtEveryByte_SameOutput()
    {
        var text = AnthropicStreamFixtures.Tools.Replace("\n", "\r\n", StringComparison.Ordinal);
        var bytes = Encoding.UTF8.GetBytes(text);
        var (expected, _) = Run(text);

        for (var split = 0; split <= bytes.Length; split++)
        {
            var translator = new AnthropicStreamTranslator("gpt-4o", Created, includeUsage: false, completionText: null);
            var client = new ArrayBufferWriter<byte>();
            var outcome = default(StreamOutcome);

            var first = translator.ProcessEvents(bytes.AsSpan(0, split), client, ref outcome);
            var second = translator.ProcessEvents(bytes.AsSpan(first), client, ref outcome);

            Assert.Equal(bytes.Length, first + second);
            Assert.Equal(expected, Encoding.UTF8.GetString(client.WrittenSpan));
        }
    }

    [Fact]
    public void ProcessEvents_PartialTrailingEvent_LeftUnconsumed()
    {
        var translator = new AnthropicStreamTranslator("gpt-4o", Created, false, null);
        var client = new ArrayBufferWriter<byte>();
        var outcome = default(StreamOutcome);
        var complete = "event: ping\ndata: {\"type\": \"ping\"}\n\n"u8.ToArray();
        var data = complete.Concat("event: message_start\ndata: {\"type\":\"mess"u8.ToArray()).ToArray();

        var consumed = translator.ProcessEvents(data, client, ref outcome);

        Assert.Equal(complete.Length, consumed);
        Assert.Equal(0, client.WrittenCount);
    }

    [Fact]
    public void ProcessEvents_DataSplitOverTwoDataLines_JoinedIntoOnePayload()
    {
        var (output, outcome) = Run("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\ndata: \"delta\":{\"type\":\"text_delta\",\"text\":\"joined\"}}\n\n");

        Assert.Equal("joined", Delta(Chunks(output)[0]).GetProperty("content").GetString());
        Assert.Equal(1, outcome.ContentChunks);
    }

    [Fact]
    public void ProcessEvents_MessageDeltaWithFullUsage_LastValuesWin()
    {
        const string Stream = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}\n\n"
            + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\"},\"usage\":{\"input_tokens\":11,\"cache_read_input_tokens\":4,\"output_tokens\":50}}\n\n";

        var (output, outcome) = Run(Stream);

        Assert.Equal(15, outcome.Usage.PromptTokens);
        Assert.Equal(50, outcome.Usage.CompletionTokens);
        Assert.Equal(4, outcome.Usage.CachedTokens);
        Assert.Equal("length", FinishReason(Chunks(output)[^1]).GetString());
        Assert.False(outcome.SawDone);
    }
}

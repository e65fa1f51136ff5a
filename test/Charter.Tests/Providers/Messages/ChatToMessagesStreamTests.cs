// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using System.Text.Json;
using Charter.Errors;
using Charter.Providers.Messages;
using Charter.Streaming;
using CsCheck;

namespace Charter.Tests.Providers.Messages;

public sealed class ChatToMessagesStreamTests
{
    private const string Model = "claude-sonnet-4-5";

    private static (string Output, StreamOutcome Outcome) Run(string upstream, ArrayBufferWriter<byte>? completionText = null)
    {
        var stream = new ChatToMessagesStream("msg_01", Model, completionText);
        var client = new ArrayBufferWriter<byte>();
        var outcome = default(StreamOutcome);
        var bytes = Encoding.UTF8.GetBytes(upstream);
        Assert.Equal(bytes.Length, stream.ProcessEvents(bytes, client, ref outcome));
        return (Encoding.UTF8.GetString(client.WrittenSpan), outcome);
    }

    // Feeds the bytes in the given piece sizes, carrying unconsumed bytes over as SseRelay does.
    private static (string Output, StreamOutcome Outcome) RunInPieces(byte[] bytes, IEnumerable<int> sizes)
    {
        var stream = new ChatToMessagesStream("msg_01", Model, null);
        var client = new ArrayBufferWriter<byte>();
        var outcome = default(StreamOutcome);
        var pending = new List<byte>();
        var at = 0;
        using var size = sizes.GetEnumerator();
        while (at < bytes.Length)
        {
            var n = size.MoveNext() ? Math.Clamp(size.Current, 1, bytes.Length - at) : bytes.Length - at;
            pending.AddRange(bytes.AsSpan(at, n).ToArray());
            at += n;
            var consumed = stream.ProcessEvents(pending.ToArray(), client, ref outcome);
            pending.RemoveRange(0, consumed);
        }

        Assert.Empty(pending);
        return (Encoding.UTF8.GetString(client.WrittenSpan), outcome);
    }

    [Fact]
    public void ProcessEvents_TextStream_EventsInAnthropicOrder()
    {
        var (output, _) = Run(ChatStreamFixtures.Text);
        var events = MessagesEvents.Events(output);

        Assert.Equal(
            ["message_start", "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"],
            MessagesEvents.Types(events));
        Assert.Equal(
            """{"type":"message_start","message":{"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":0,"output_tokens":0}}}""",
            events[0].GetRawText());
        MessagesShapes.AssertMessage(events[0].GetProperty("message"), streamed: true);
        Assert.Equal("""{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""", events[1].GetRawText());
        Assert.Equal("text_delta", events[2].GetProperty("delta").GetProperty("type").GetString());
        Assert.Equal(0, events[2].GetProperty("index").GetInt32());
        Assert.Equal("Bonjour \"le\" monde", events[2].GetProperty("delta").GetProperty("text").GetString());
        Assert.Equal(" — café 日本\n", events[3].GetProperty("delta").GetProperty("text").GetString());
        Assert.Equal("""{"type":"content_block_stop","index":0}""", events[4].GetRawText());
        Assert.Equal(
            """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":35,"output_tokens":12,"cache_read_input_tokens":100}}""",
            events[5].GetRawText());
        Assert.Equal("""{"type":"message_stop"}""", events[6].GetRawText());
    }

    [Fact]
    public void ProcessEvents_TextStream_OutcomeHasUsageDoneAndContentChunks()
    {
        var text = new ArrayBufferWriter<byte>();

        var (_, outcome) = Run(ChatStreamFixtures.Text, text);

        Assert.True(outcome.Usage.Present);
        Assert.Equal(135, outcome.Usage.PromptTokens);
        Assert.Equal(12, outcome.Usage.CompletionTokens);
        Assert.Equal(100, outcome.Usage.CachedTokens);
        Assert.True(outcome.SawDone);
        Assert.Equal(CharterError.None, outcome.Error);
        Assert.Equal(2, outcome.ContentChunks);
        Assert.Equal("Bonjour \\\"le\\\" monde \\u2014 caf\\u00e9 日本\\n", Encoding.UTF8.GetString(text.WrittenSpan));
    }

    [Fact]
    public void ProcessEvents_ToolStream_TextBlockThenToolUseBlocks()
    {
        var text = new ArrayBufferWriter<byte>();
        var (output, outcome) = Run(ChatStreamFixtures.Tools, text);
        var events = MessagesEvents.Events(output);

        Assert.Equal(
            [
                "message_start",
                "content_block_start", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_stop",
                "message_delta", "message_stop",
            ],
            MessagesEvents.Types(events));
        Assert.Equal("""{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"call_A","name":"get_weather","input":{}}}""", events[4].GetRawText());
        Assert.Equal("""{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"city\":"}}""", events[5].GetRawText());
        Assert.Equal(" \"Paris\"}", events[6].GetProperty("delta").GetProperty("partial_json").GetString());
        Assert.Equal("""{"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"call_B","name":"get_time","input":{}}}""", events[8].GetRawText());
        Assert.Equal("{}", events[9].GetProperty("delta").GetProperty("partial_json").GetString());
        Assert.Equal(2, events[10].GetProperty("index").GetInt32());
        Assert.Equal("tool_use", events[11].GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.Equal("""{"input_tokens":60,"output_tokens":25,"cache_read_input_tokens":0}""", events[11].GetProperty("usage").GetRawText());
        Assert.Equal(5, outcome.ContentChunks);
        Assert.Equal("Checking.", Encoding.UTF8.GetString(text.WrittenSpan));
    }

    [Fact]
    public void ProcessEvents_ToolStream_AccumulatesToTheNonStreamedAnswer()
    {
        var streamed = MessagesEvents.Accumulate(MessagesEvents.Events(Run(ChatStreamFixtures.Tools).Output));
        var answer = new ArrayBufferWriter<byte>();
        Assert.True(ChatToMessagesAnswer.TryTranslate(Encoding.UTF8.GetBytes(ChatStreamFixtures.ToolsAnswer), "msg_01", Model, answer));
        using var expected = JsonDocument.Parse(answer.WrittenMemory);

        Assert.Equal(expected.RootElement.GetProperty("content").GetRawText(), streamed.GetProperty("content").GetRawText());
        Assert.Equal(expected.RootElement.GetProperty("stop_reason").GetString(), streamed.GetProperty("stop_reason").GetString());
        Assert.Equal(expected.RootElement.GetProperty("id").GetString(), streamed.GetProperty("id").GetString());
        Assert.Equal(expected.RootElement.GetProperty("model").GetString(), streamed.GetProperty("model").GetString());
        var usage = expected.RootElement.GetProperty("usage");
        Assert.Equal(usage.GetProperty("input_tokens").GetInt32(), streamed.GetProperty("usage").GetProperty("input_tokens").GetInt32());
        Assert.Equal(usage.GetProperty("output_tokens").GetInt32(), streamed.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        Assert.Equal(usage.GetProperty("cache_read_input_tokens").GetInt32(), streamed.GetProperty("usage").GetProperty("cache_read_input_tokens").GetInt32());
    }

    [Fact]
    public void ProcessEvents_TextStream_AccumulatesToTheText()
    {
        var message = MessagesEvents.Accumulate(MessagesEvents.Events(Run(ChatStreamFixtures.Text).Output));

        Assert.Equal("""[{"type":"text","text":"Bonjour \u0022le\u0022 monde \u2014 caf\u00E9 \u65E5\u672C\n"}]""", message.GetProperty("content").GetRawText());
        Assert.Equal("end_turn", message.GetProperty("stop_reason").GetString());
    }

    [Fact]
    public void ProcessEvents_OneByteAtATime_SameEventsAndOutcome()
    {
        foreach (var upstream in new[] { ChatStreamFixtures.Text, ChatStreamFixtures.Tools, ChatStreamFixtures.Error })
        {
            var (expected, expectedOutcome) = Run(upstream);
            var (output, outcome) = RunInPieces(Encoding.UTF8.GetBytes(upstream), Enumerable.Repeat(1, int.MaxValue));

            Assert.Equal(expected, output);
            Assert.Equal(expectedOutcome, outcome);
        }
    }

    [Fact]
    public void ProcessEvents_SplitAtEveryByte_SameOutput()
    {
        foreach (var upstream in new[] { ChatStreamFixtures.Text, ChatStreamFixtures.Tools })
        {
            var expected = Run(upstream).Output;
            var bytes = Encoding.UTF8.GetBytes(upstream);
            for (var split = 0; split <= bytes.Length; split++)
            {
                var (output, _) = RunInPieces(bytes, [Math.Max(split, 1)]);
                Assert.Equal(expected, output);
            }
        }
    }

    [Fact]
    public void ProcessEvents_RandomPiecesAndLineEnds_SameEventsAsWhole()
    {
        var fixtures = new[] { ChatStreamFixtures.Text, ChatStreamFixtures.Tools, ChatStreamFixtures.Error };
        var expected = fixtures.Select(f => Run(f)).ToArray();
        Gen.Select(Gen.Int[0, fixtures.Length - 1], Gen.Bool, Gen.Int[1, 64].Array[1, 200]).Sample((which, crlf, sizes) =>
        {
            var upstream = crlf ? fixtures[which].Replace("\n", "\r\n", StringComparison.Ordinal) : fixtures[which];
            var (output, outcome) = RunInPieces(Encoding.UTF8.GetBytes(upstream), sizes);
            Assert.Equal(expected[which].Output, output);
            Assert.Equal(expected[which].Outcome, outcome);
        });
    }

    [Fact]
    public void ProcessEvents_PartialEvent_LeftUnconsumed()
    {
        var stream = new ChatToMessagesStream("msg_01", Model, null);
        var client = new ArrayBufferWriter<byte>();
        var outcome = default(StreamOutcome);
        var bytes = Encoding.UTF8.GetBytes(ChatStreamFixtures.Text);
        var firstEnd = ChatStreamFixtures.Text.IndexOf("\n\n", StringComparison.Ordinal) + 2;

        var consumed = stream.ProcessEvents(bytes.AsSpan(0, firstEnd + 10), client, ref outcome);

        Assert.Equal(firstEnd, consumed);
        Assert.Equal(["message_start"], MessagesEvents.Types(MessagesEvents.Events(Encoding.UTF8.GetString(client.WrittenSpan))));
    }

    [Fact]
    public void ProcessEvents_UsageChunkBeforeDone_MessageStopsAtUsageAndDoneOnlyMarksTheOutcome()
    {
        var text = ChatStreamFixtures.Text;
        var beforeDone = text[..text.IndexOf("data: [DONE]", StringComparison.Ordinal)];

        var (output, outcome) = Run(beforeDone);
        Assert.Equal("message_stop", MessagesEvents.Types(MessagesEvents.Events(output))[^1]);
        Assert.False(outcome.SawDone);
        Assert.True(outcome.Usage.Present);

        var (whole, wholeOutcome) = Run(text);
        Assert.Equal(output, whole);
        Assert.True(wholeOutcome.SawDone);
    }

    [Fact]
    public void ProcessEvents_NoUsageChunk_DoneEndsTheMessageWithZeroUsage()
    {
        var text = ChatStreamFixtures.Text;
        var usageChunk = text.IndexOf("[],\"usage\"", StringComparison.Ordinal);
        var start = text.LastIndexOf("data: ", usageChunk, StringComparison.Ordinal);
        var withoutUsage = text[..start] + "data: [DONE]\n\n";

        var (output, outcome) = Run(withoutUsage);

        var events = MessagesEvents.Events(output);
        Assert.Equal(["message_start", "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"], MessagesEvents.Types(events));
        Assert.Equal("""{"input_tokens":0,"output_tokens":0,"cache_read_input_tokens":0}""", events[5].GetProperty("usage").GetRawText());
        Assert.False(outcome.Usage.Present);
        Assert.True(outcome.SawDone);
    }

    [Fact]
    public void ProcessEvents_OnlyDone_WholeEmptyMessage()
    {
        var (output, outcome) = Run("data: [DONE]\n\n");

        Assert.Equal(["message_start", "message_delta", "message_stop"], MessagesEvents.Types(MessagesEvents.Events(output)));
        Assert.True(outcome.SawDone);
        Assert.Equal(0, outcome.ContentChunks);
    }

    [Theory]
    [InlineData("length", "max_tokens")]
    [InlineData("content_filter", "refusal")]
    [InlineData("tool_calls", "tool_use")]
    [InlineData("function_call", "tool_use")]
    [InlineData("stop", "end_turn")]
    [InlineData("eos", "end_turn")]
    public void ProcessEvents_FinishReason_StopReasonInMessageDelta(string finishReason, string stopReason)
    {
        var upstream = ChatStreamFixtures.Text.Replace("\"finish_reason\":\"stop\"", "\"finish_reason\":\"" + finishReason + "\"", StringComparison.Ordinal);

        var events = MessagesEvents.Events(Run(upstream).Output);

        Assert.Equal(stopReason, events.Single(e => e.GetProperty("type").GetString() == "message_delta").GetProperty("delta").GetProperty("stop_reason").GetString());
    }

    [Fact]
    public void ProcessEvents_ToolCallsFinishedWithStop_StopReasonToolUse()
    {
        var upstream = ChatStreamFixtures.Tools.Replace("\"finish_reason\":\"tool_calls\"", "\"finish_reason\":\"stop\"", StringComparison.Ordinal);

        var events = MessagesEvents.Events(Run(upstream).Output);

        Assert.Equal("tool_use", events[^2].GetProperty("delta").GetProperty("stop_reason").GetString());
    }

    [Fact]
    public void ProcessEvents_ErrorChunk_ErrorEventAndNothingMore()
    {
        var (output, outcome) = Run(ChatStreamFixtures.Error);
        var events = MessagesEvents.Events(output);

        Assert.Equal(["message_start", "content_block_start", "content_block_delta", "error"], MessagesEvents.Types(events));
        Assert.Equal(
            """{"type":"error","error":{"type":"api_error","message":"The server had an error while processing your request. \"Sorry\""}}""",
            events[^1].GetRawText());
        Assert.Equal(CharterError.UpstreamError, outcome.Error);
        Assert.Equal(1, outcome.ContentChunks);
        Assert.True(outcome.SawDone);
    }

    [Fact]
    public void ProcessEvents_ErrorFirst_OnlyTheErrorEvent()
    {
        var (output, outcome) = Run("data: {\"error\":{\"message\":\"\",\"type\":\"server_error\"}}\n\n");

        var events = MessagesEvents.Events(output);
        Assert.Equal(["error"], MessagesEvents.Types(events));
        Assert.Equal("api_error", events[0].GetProperty("error").GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(events[0].GetProperty("error").GetProperty("message").GetString()));
        Assert.Equal(CharterError.UpstreamError, outcome.Error);
    }

    [Fact]
    public void ProcessEvents_RefusalDelta_Text()
    {
        const string upstream =
            "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,\"refusal\":\"\"},\"finish_reason\":null}]}\n\n"
            + "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"refusal\":\"I can't\"},\"finish_reason\":null}]}\n\n"
            + "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"refusal\":\" help.\"},\"finish_reason\":\"stop\"}]}\n\n"
            + "data: [DONE]\n\n";

        var (output, outcome) = Run(upstream);

        var message = MessagesEvents.Accumulate(MessagesEvents.Events(output));
        Assert.Equal("""[{"type":"text","text":"I can\u0027t help."}]""", message.GetProperty("content").GetRawText());
        Assert.Equal(2, outcome.ContentChunks);
    }

    [Fact]
    public void ProcessEvents_WholeToolCallsWithoutIndex_OneBlockPerId()
    {
        // Servers that send each call whole, without an index (every call at index 0), and no id on the generated one.
        const string upstream =
            "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"a\",\"arguments\":\"{\\\"x\\\":1}\"}}]}}]}\n\n"
            + "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"id\":\"call_2\",\"type\":\"function\",\"function\":{\"name\":\"b\",\"arguments\":\"{\\\"y\\\":2}\"}}]}}]}\n\n"
            + "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":5,\"type\":\"function\",\"function\":{\"name\":\"c\",\"arguments\":\"{}\"}}]},\"finish_reason\":\"tool_calls\"}]}\n\n"
            + "data: [DONE]\n\n";

        var message = MessagesEvents.Accumulate(MessagesEvents.Events(Run(upstream).Output));

        var content = message.GetProperty("content");
        Assert.Equal(3, content.GetArrayLength());
        Assert.Equal(["call_1", "call_2", "toolu_01_2"], content.EnumerateArray().Select(b => b.GetProperty("id").GetString()));
        Assert.Equal(["a", "b", "c"], content.EnumerateArray().Select(b => b.GetProperty("name").GetString()));
        Assert.Equal(1, content[0].GetProperty("input").GetProperty("x").GetInt32());
        Assert.Equal(2, content[1].GetProperty("input").GetProperty("y").GetInt32());
    }

    [Fact]
    public void ProcessEvents_OtherChoicesAndReasoning_Ignored()
    {
        const string upstream =
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"reasoning_content\":\"hmm\"}}]}\n\n"
            + "data: {\"choices\":[{\"index\":1,\"delta\":{\"content\":\"other choice\"}}]}\n\n"
            + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"mine\"},\"finish_reason\":\"stop\"}]}\n\n"
            + "data: not json\n\n"
            + "data: [DONE]\n\n";

        var (output, outcome) = Run(upstream);

        Assert.Equal("""[{"type":"text","text":"mine"}]""", MessagesEvents.Accumulate(MessagesEvents.Events(output)).GetProperty("content").GetRawText());
        Assert.Equal(1, outcome.ContentChunks);
    }

    [Fact]
    public void ProcessEvents_AfterMessageStop_NothingMoreWritten()
    {
        var (once, _) = Run(ChatStreamFixtures.Text);

        var (twice, outcome) = Run(ChatStreamFixtures.Text + ChatStreamFixtures.Text);

        Assert.Equal(once, twice);
        Assert.True(outcome.SawDone);
    }

    [Fact]
    public void SseTransform_WriteFailure_AnthropicErrorEvent()
    {
        var transform = new ChatToMessagesSseTransform(new ChatToMessagesStream("msg_01", Model, null));
        var client = new ArrayBufferWriter<byte>();

        transform.WriteFailure(client);

        Assert.Equal(
            "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"The upstream connection failed mid-stream.\"}}\n\n",
            Encoding.UTF8.GetString(client.WrittenSpan));
        var events = MessagesEvents.Events(Encoding.UTF8.GetString(client.WrittenSpan));
        Assert.Equal("api_error", events[0].GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public void SseTransform_ProcessEventsAndTail_EventsPassedCutOffEventDropped()
    {
        var transform = new ChatToMessagesSseTransform(new ChatToMessagesStream("msg_01", Model, null));
        var client = new ArrayBufferWriter<byte>();
        var outcome = default(StreamOutcome);
        var text = ChatStreamFixtures.Text;
        var cut = text.IndexOf("data: [DONE]", StringComparison.Ordinal);
        var bytes = Encoding.UTF8.GetBytes(text[..cut] + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"late");

        var consumed = transform.ProcessEvents(bytes, client, ref outcome);
        var before = client.WrittenCount;
        transform.ProcessTail(bytes.AsSpan(consumed), client, ref outcome);

        Assert.Equal(Encoding.UTF8.GetByteCount(text[..cut]), consumed);
        Assert.Equal(before, client.WrittenCount);
        Assert.Equal(Run(text).Output, Encoding.UTF8.GetString(client.WrittenSpan));
        Assert.False(outcome.SawDone);
    }
}

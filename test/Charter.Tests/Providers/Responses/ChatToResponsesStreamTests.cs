// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using System.Text.Json;
using Charter.Providers.Anthropic;
using Charter.Providers.Responses;
using Charter.Streaming;
using Charter.Tests.Providers.Anthropic;

namespace Charter.Tests.Providers.Responses;

public sealed class ChatToResponsesStreamTests
{
    private const string Request = """{"model":"gpt-x","input":"hi","stream":true,"max_output_tokens":50,"tools":[{"type":"function","name":"get_weather"}]}""";

    private const string TextStream =
        "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-x\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}],\"usage\":null}\n\n"
        + "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-x\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello \\\"there\\\"\"},\"finish_reason\":null}],\"usage\":null}\n\n"
        + ": keep-alive\n\n"
        + "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-x\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" caf\\u00e9 日本\"},\"finish_reason\":null}],\"usage\":null}\n\n"
        + "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-x\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n"
        + "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-x\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":4,\"total_tokens\":13,\"prompt_tokens_details\":{\"cached_tokens\":2}}}\n\n"
        + "data: [DONE]\n\n";

    private const string ToolStream =
        "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-x\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Checking.\"},\"finish_reason\":null}]}\n\n"
        + "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-x\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}\n\n"
        + "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-x\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]},\"finish_reason\":null}]}\n\n"
        + "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-x\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]},\"finish_reason\":null}]}\n\n"
        + "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-x\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"type\":\"function\",\"function\":{\"name\":\"get_time\",\"arguments\":\"{}\"}}]},\"finish_reason\":null}]}\n\n"
        + "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-x\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n"
        + "data: [DONE]\n\n";

    private static ResponsesEcho Echo() => ResponsesEcho.FromRequest(Encoding.UTF8.GetBytes(Request), "resp_1", 1_700_000_000);

    private static (string Output, ChatToResponsesStream Translator) Run(string upstream)
    {
        var translator = new ChatToResponsesStream(Echo());
        var client = new ArrayBufferWriter<byte>();
        var bytes = Encoding.UTF8.GetBytes(upstream);
        Assert.Equal(bytes.Length, translator.ProcessEvents(bytes, client));
        translator.Finish(client);
        return (Encoding.UTF8.GetString(client.WrittenSpan), translator);
    }

    // Parses "event: t\ndata: {...}\n\n" events, checking framing, that type matches the event name, and sequence numbers from 0.
    private static List<JsonElement> Events(string output)
    {
        var events = new List<JsonElement>();
        var blocks = output.Split("\n\n");
        Assert.Equal(string.Empty, blocks[^1]);
        foreach (var block in blocks[..^1])
        {
            var lines = block.Split('\n');
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("event: ", lines[0], StringComparison.Ordinal);
            Assert.StartsWith("data: ", lines[1], StringComparison.Ordinal);
            using var document = JsonDocument.Parse(lines[1]["data: ".Length..]);
            var data = document.RootElement.Clone();
            Assert.Equal(lines[0]["event: ".Length..], data.GetProperty("type").GetString());
            Assert.Equal(events.Count, data.GetProperty("sequence_number").GetInt32());
            events.Add(data);
        }

        return events;
    }

    private static string[] Types(List<JsonElement> events) => events.Select(e => e.GetProperty("type").GetString()!).ToArray();

    [Fact]
    public void ProcessEvents_TextStream_EventsInOrder()
    {
        var (output, translator) = Run(TextStream);
        var events = Events(output);

        Assert.Equal(
            [
                "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
                "response.output_text.delta", "response.output_text.delta", "response.output_text.done", "response.content_part.done",
                "response.output_item.done", "response.completed",
            ],
            Types(events));
        Assert.True(translator.Completed);
        Assert.False(translator.Failed);
        Assert.Equal("resp_1", translator.ResponseId);
        Assert.Equal(9, translator.PromptTokens);
        Assert.Equal(4, translator.CompletionTokens);
        Assert.Equal(2, translator.CachedTokens);
        ResponsesShapes.AssertResponse(events[0].GetProperty("response"), final: false);
        ResponsesShapes.AssertResponse(events[1].GetProperty("response"), final: false);
        Assert.Equal("gpt-x", events[0].GetProperty("response").GetProperty("model").GetString());
        ResponsesShapes.AssertItem(events[2].GetProperty("item"), done: false);
        Assert.Equal("in_progress", events[2].GetProperty("item").GetProperty("status").GetString());
        Assert.Equal(string.Empty, events[3].GetProperty("part").GetProperty("text").GetString());
        var delta = events[4];
        Assert.Equal("msg_1", delta.GetProperty("item_id").GetString());
        Assert.Equal(0, delta.GetProperty("output_index").GetInt32());
        Assert.Equal(0, delta.GetProperty("content_index").GetInt32());
        Assert.Equal("Hello \"there\"", delta.GetProperty("delta").GetString());
        Assert.Equal(0, delta.GetProperty("logprobs").GetArrayLength());
    }

    [Fact]
    public void ProcessEvents_TextStream_FinalTextIsTheDeltas()
    {
        var events = Events(Run(TextStream).Output);

        var deltas = string.Concat(events.Where(e => e.GetProperty("type").GetString() == "response.output_text.delta").Select(e => e.GetProperty("delta").GetString()));
        Assert.Equal("Hello \"there\" café 日本", deltas);
        Assert.Equal(deltas, events[6].GetProperty("text").GetString());
        Assert.Equal(deltas, events[7].GetProperty("part").GetProperty("text").GetString());
        Assert.Equal(deltas, events[8].GetProperty("item").GetProperty("content")[0].GetProperty("text").GetString());
        var response = events[^1].GetProperty("response");
        ResponsesShapes.AssertResponse(response, final: true);
        Assert.Equal("completed", response.GetProperty("status").GetString());
        Assert.Equal(deltas, response.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(9, response.GetProperty("usage").GetProperty("input_tokens").GetInt32());
        Assert.Equal(2, response.GetProperty("usage").GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32());
        Assert.Equal(4, response.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        Assert.Equal(13, response.GetProperty("usage").GetProperty("total_tokens").GetInt32());
        Assert.Equal(50, response.GetProperty("max_output_tokens").GetInt32());
        Assert.Equal("get_weather", response.GetProperty("tools")[0].GetProperty("name").GetString());
    }

    [Fact]
    public void ProcessEvents_SplitAtEveryByte_SameOutput()
    {
        foreach (var upstream in new[] { TextStream, ToolStream, TextStream.Replace("\n", "\r\n", StringComparison.Ordinal) })
        {
            var expected = Run(upstream.Replace("\r\n", "\n", StringComparison.Ordinal)).Output;
            var bytes = Encoding.UTF8.GetBytes(upstream);
            for (var split = 0; split <= bytes.Length; split++)
            {
                using var translator = new ChatToResponsesStream(Echo());
                var client = new ArrayBufferWriter<byte>();
                var consumed = translator.ProcessEvents(bytes.AsSpan(0, split), client);
                var rest = bytes.AsSpan(consumed).ToArray();
                Assert.Equal(rest.Length, translator.ProcessEvents(rest, client));
                Assert.Equal(expected, Encoding.UTF8.GetString(client.WrittenSpan));
            }
        }
    }

    [Fact]
    public void ProcessEvents_ToolStream_MessageThenFunctionCalls()
    {
        var (output, translator) = Run(ToolStream);
        var events = Events(output);

        Assert.Equal(
            [
                "response.created", "response.in_progress",
                "response.output_item.added", "response.content_part.added", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.delta",
                "response.output_item.added", "response.function_call_arguments.delta",
                "response.function_call_arguments.done", "response.output_item.done",
                "response.function_call_arguments.done", "response.output_item.done",
                "response.completed",
            ],
            Types(events));
        Assert.True(translator.Completed);
        Assert.False(translator.HasUsage);
        var added = events[8].GetProperty("item");
        Assert.Equal(1, events[8].GetProperty("output_index").GetInt32());
        Assert.Equal("function_call", added.GetProperty("type").GetString());
        Assert.Equal("fc_1_0", added.GetProperty("id").GetString());
        Assert.Equal("call_a", added.GetProperty("call_id").GetString());
        Assert.Equal("get_weather", added.GetProperty("name").GetString());
        Assert.Equal(string.Empty, added.GetProperty("arguments").GetString());
        Assert.Equal("in_progress", added.GetProperty("status").GetString());
        Assert.Equal("fc_1_0", events[9].GetProperty("item_id").GetString());
        Assert.Equal("{\"city\":", events[9].GetProperty("delta").GetString());
        Assert.Equal("{\"city\":\"Paris\"}", events[13].GetProperty("arguments").GetString());
        Assert.Equal("get_weather", events[13].GetProperty("name").GetString());
        Assert.Equal(2, events[11].GetProperty("output_index").GetInt32());

        var response = events[^1].GetProperty("response");
        ResponsesShapes.AssertResponse(response, final: true);
        var items = response.GetProperty("output");
        Assert.Equal(3, items.GetArrayLength());
        Assert.Equal("Checking.", items[0].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("call_a", items[1].GetProperty("call_id").GetString());
        Assert.Equal("{\"city\":\"Paris\"}", items[1].GetProperty("arguments").GetString());
        Assert.Equal("completed", items[1].GetProperty("status").GetString());
        Assert.Equal("call_b", items[2].GetProperty("call_id").GetString());
        Assert.Equal("{}", items[2].GetProperty("arguments").GetString());
        Assert.False(response.TryGetProperty("usage", out _));
    }

    [Fact]
    public void ProcessEvents_LengthFinish_Incomplete()
    {
        var events = Events(Run(TextStream.Replace("\"finish_reason\":\"stop\"", "\"finish_reason\":\"length\"", StringComparison.Ordinal)).Output);

        var last = events[^1];
        Assert.Equal("response.incomplete", last.GetProperty("type").GetString());
        var response = last.GetProperty("response");
        ResponsesShapes.AssertResponse(response, final: true);
        Assert.Equal("incomplete", response.GetProperty("status").GetString());
        Assert.Equal("max_output_tokens", response.GetProperty("incomplete_details").GetProperty("reason").GetString());
        Assert.Equal("incomplete", response.GetProperty("output")[0].GetProperty("status").GetString());
        Assert.Equal("incomplete", events[^2].GetProperty("item").GetProperty("status").GetString());
    }

    [Fact]
    public void ProcessEvents_ErrorChunk_ErrorEventAndNothingAfter()
    {
        var upstream = TextStream[..TextStream.IndexOf(": keep-alive", StringComparison.Ordinal)]
            + "data: {\"error\":{\"message\":\"Overloaded\",\"type\":\"overloaded_error\",\"param\":null,\"code\":null}}\n\n"
            + TextStream[TextStream.IndexOf(": keep-alive", StringComparison.Ordinal)..];
        var (output, translator) = Run(upstream);
        var events = Events(output);

        Assert.Equal(["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added", "response.output_text.delta", "error"], Types(events));
        var error = events[^1];
        Assert.Equal("overloaded_error", error.GetProperty("code").GetString());
        Assert.Equal("Overloaded", error.GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.True(translator.Completed);
        Assert.True(translator.Failed);
    }

    [Fact]
    public void ProcessEvents_TextAfterToolCall_SecondMessageItem()
    {
        const string Chunk = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-x\",\"choices\":[{\"index\":0,\"delta\":";
        var upstream = Chunk + "{\"content\":\"A\"},\"finish_reason\":null}]}\n\n"
            + Chunk + "{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},\"finish_reason\":null}]}\n\n"
            + Chunk + "{\"content\":\"B\"},\"finish_reason\":null}]}\n\n"
            + Chunk + "{},\"finish_reason\":\"stop\"}]}\n\n"
            + "data: [DONE]\n\n";

        var response = Events(Run(upstream).Output)[^1].GetProperty("response");

        ResponsesShapes.AssertResponse(response, final: true);
        var items = response.GetProperty("output");
        Assert.Equal(3, items.GetArrayLength());
        Assert.Equal("msg_1", items[0].GetProperty("id").GetString());
        Assert.Equal("A", items[0].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("call_a", items[1].GetProperty("call_id").GetString());
        Assert.Equal("msg_1_1", items[2].GetProperty("id").GetString());
        Assert.Equal("B", items[2].GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public void ProcessEvents_ErrorWithCode_CodeUsed()
    {
        var events = Events(Run("data: {\"error\":{\"message\":\"Slow down\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}\n\n").Output);

        Assert.Single(events);
        Assert.Equal("rate_limit_exceeded", events[0].GetProperty("code").GetString());
        Assert.Equal(0, events[0].GetProperty("sequence_number").GetInt32());
    }

    [Fact]
    public void ProcessEvents_MultiLineData_Joined()
    {
        var upstream = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-x\",\n"
            + "data: \"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";

        var response = Events(Run(upstream).Output)[^1].GetProperty("response");

        Assert.Equal("Hi", response.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public void ProcessEvents_DoneWithoutUsage_Completed()
    {
        var upstream = TextStream.Replace("\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":4,\"total_tokens\":13,\"prompt_tokens_details\":{\"cached_tokens\":2}}", "\"choices\":[]", StringComparison.Ordinal);
        var (output, translator) = Run(upstream);

        Assert.Equal("response.completed", Events(output)[^1].GetProperty("type").GetString());
        Assert.True(translator.Completed);
        Assert.False(translator.HasUsage);
    }

    [Fact]
    public void ProcessEvents_EndsWithoutDoneOrUsage_NotCompletedAndFinishWritesNothing()
    {
        var upstream = TextStream[..TextStream.IndexOf("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-x\",\"choices\":[],", StringComparison.Ordinal)];
        using var translator = new ChatToResponsesStream(Echo());
        var client = new ArrayBufferWriter<byte>();
        translator.ProcessEvents(Encoding.UTF8.GetBytes(upstream), client);
        var before = client.WrittenCount;

        translator.Finish(client);

        Assert.False(translator.Completed);
        Assert.Equal(before, client.WrittenCount);
        Assert.Equal("response.output_item.done", Events(Encoding.UTF8.GetString(client.WrittenSpan))[^1].GetProperty("type").GetString());
    }

    [Fact]
    public void ProcessEvents_AfterCompletion_ConsumesAndWritesNothing()
    {
        using var translator = new ChatToResponsesStream(Echo());
        var client = new ArrayBufferWriter<byte>();
        translator.ProcessEvents(Encoding.UTF8.GetBytes(TextStream), client);
        var before = client.WrittenCount;

        var more = Encoding.UTF8.GetBytes(TextStream);
        Assert.Equal(more.Length, translator.ProcessEvents(more, client));
        Assert.Equal(before, client.WrittenCount);
    }

    [Fact]
    public void ProcessEvents_FromAnthropicStream_ComposesThroughChatChunks()
    {
        var anthropic = new AnthropicStreamTranslator("gpt-x", 1_700_000_000, includeUsage: true, completionText: null);
        var chat = new ArrayBufferWriter<byte>();
        var outcome = default(StreamOutcome);
        var upstream = Encoding.UTF8.GetBytes(AnthropicStreamFixtures.Tools.Replace("\r\n", "\n", StringComparison.Ordinal));
        anthropic.ProcessEvents(upstream, chat, ref outcome);

        using var translator = new ChatToResponsesStream(Echo());
        var client = new ArrayBufferWriter<byte>();
        Assert.Equal(chat.WrittenCount, translator.ProcessEvents(chat.WrittenSpan, client));
        var events = Events(Encoding.UTF8.GetString(client.WrittenSpan));

        Assert.True(translator.Completed);
        Assert.True(translator.HasUsage);
        var response = events[^1].GetProperty("response");
        Assert.Equal("response.completed", events[^1].GetProperty("type").GetString());
        ResponsesShapes.AssertResponse(response, final: true);
        var items = response.GetProperty("output");
        Assert.Equal("message", items[0].GetProperty("type").GetString());
        Assert.Equal("Let me check.", items[0].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(3, items.GetArrayLength());
        foreach (var call in items.EnumerateArray().Skip(1))
        {
            Assert.Equal("function_call", call.GetProperty("type").GetString());
            using var arguments = JsonDocument.Parse(call.GetProperty("arguments").GetString()!);
            Assert.Equal(JsonValueKind.Object, arguments.RootElement.ValueKind);
        }

        Assert.Equal(translator.PromptTokens, response.GetProperty("usage").GetProperty("input_tokens").GetInt32());
    }
}

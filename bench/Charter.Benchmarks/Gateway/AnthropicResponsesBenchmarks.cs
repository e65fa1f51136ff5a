// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Charter.Providers.Anthropic;
using Charter.Providers.Responses;
using Charter.Streaming;

namespace Charter.Benchmarks.Gateway;

/// <summary>The Responses API on an Anthropic account (no network): the Responses body to chat to a Messages body, a whole
/// answer back through a chat completion to a Response, and a 42-event stream through chat chunks to Responses events.
/// Compare <see cref="AnthropicTranslationBenchmarks"/> (chat on the same account).</summary>
[MemoryDiagnoser]
public class AnthropicResponsesBenchmarks
{
    private byte[] _body = [];
    private byte[] _message = [];
    private byte[] _sse = [];
    private readonly ArrayBufferWriter<byte> _chat = new(64 * 1024);
    private readonly ArrayBufferWriter<byte> _sink = new(64 * 1024);

    [GlobalSetup]
    public void Setup()
    {
        _body = Encoding.UTF8.GetBytes("""{"model":"claude-sonnet-4","instructions":"You are a helpful assistant.","input":"Say hello in one short sentence, please.","max_output_tokens":32,"temperature":0}""");
        var content = string.Join(' ', Enumerable.Repeat("Paris is the capital of France, on the Seine.", 20));
        _message = Encoding.UTF8.GetBytes($$$"""{"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-20250514","content":[{"type":"text","text":"{{{content}}}"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":21,"output_tokens":200,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}""");
        var sb = new StringBuilder();
        sb.Append("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-20250514\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":21,\"output_tokens\":1}}}\n\n");
        sb.Append("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
        for (var i = 0; i < 38; i++)
        {
            sb.Append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" word\"}}\n\n");
        }

        sb.Append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n");
        sb.Append("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":38}}\n\n");
        sb.Append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        _sse = Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>A Responses body (instructions + input) to chat to a Messages body.</summary>
    [Benchmark]
    public int TranslateRequest()
    {
        _chat.ResetWrittenCount();
        _sink.ResetWrittenCount();
        return ResponsesToChatRequest.TryTranslate(_body, _chat, out _)
            && AnthropicRequestTranslator.TryTranslate(_chat.WrittenSpan, "claude-sonnet-4-20250514", 4096, _sink, out _) ? _sink.WrittenCount : -1;
    }

    /// <summary>A ~1 KB message to a chat completion to a Response (the echo read from the request included).</summary>
    [Benchmark]
    public int TranslateAnswer()
    {
        _chat.ResetWrittenCount();
        _sink.ResetWrittenCount();
        return AnthropicResponseTranslator.TryTranslate(_message, "claude-sonnet-4-20250514", 1, _chat)
            && ChatToResponsesAnswer.TryTranslate(_chat.WrittenSpan, ResponsesEcho.FromRequest(_body, "resp_1", 1), _sink) ? _sink.WrittenCount : -1;
    }

    /// <summary>A 42-event stream to Responses events as the gateway relays it, per stream.</summary>
    [Benchmark]
    public int TranslateStream()
    {
        _sink.ResetWrittenCount();
        var outcome = default(StreamOutcome);
        using var stages = new AnthropicResponsesStages(
            new AnthropicStreamTranslator("claude-sonnet-4-20250514", 1, includeUsage: true, completionText: null),
            new ChatToResponsesStream(ResponsesEcho.FromRequest(_body, "resp_1", 1)),
            new ResponsesStreamState(null));
        var consumed = new AnthropicResponsesSseTransform(stages).ProcessEvents(_sse, _sink, ref outcome);
        return consumed + outcome.Usage.CompletionTokens;
    }
}

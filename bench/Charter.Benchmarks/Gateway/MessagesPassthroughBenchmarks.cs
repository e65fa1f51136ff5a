// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Charter.Forwarding;
using Charter.Providers.Anthropic;
using Charter.Streaming;

namespace Charter.Benchmarks.Gateway;

/// <summary>Anthropic's Messages API on <c>/v1/messages</c> to an account that speaks it: the body's parse and a 42-event
/// stream passed through while its usage and text are read (no network). Compare <see cref="RequestPathBenchmarks.ParseChat"/>
/// and <see cref="RequestPathBenchmarks.RelaySse"/>.</summary>
[MemoryDiagnoser]
public class MessagesPassthroughBenchmarks
{
    private byte[] _body = [];
    private byte[] _sse = [];
    private readonly ArrayBufferWriter<byte> _sink = new(64 * 1024);
    private readonly ArrayBufferWriter<byte> _text = new(4 * 1024);

    [GlobalSetup]
    public void Setup()
    {
        _body = Encoding.UTF8.GetBytes("""{"model":"claude-sonnet-4-5","max_tokens":256,"system":"You are a helpful assistant.","messages":[{"role":"user","content":"What is the capital of France?"}],"temperature":0.2,"stream":true}""");
        var sb = new StringBuilder();
        sb.Append("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-sonnet-4-5\",\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}\n\n");
        sb.Append("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
        for (var i = 0; i < 37; i++)
        {
            sb.Append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" word\"}}\n\n");
        }

        sb.Append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n");
        sb.Append("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":37}}\n\n");
        sb.Append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        _sse = Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>One-pass validation and field extraction of a typical Messages body.</summary>
    [Benchmark]
    public int ParseMessages()
    {
        RequestParser.ParseMessages(_body, out var parsed);
        return parsed.MaxTokens;
    }

    /// <summary>Relaying a 42-event Messages stream as it came (usage from message_start and message_delta, text read aside),
    /// per stream: the state object is the one allocation.</summary>
    [Benchmark]
    public int RelayMessagesSse()
    {
        _sink.ResetWrittenCount();
        _text.ResetWrittenCount();
        var outcome = default(StreamOutcome);
        var consumed = new ObservedSseTransform<AnthropicMessagesStreamState>(new AnthropicMessagesStreamState(_text)).ProcessEvents(_sse, _sink, ref outcome);
        return consumed + outcome.Usage.CompletionTokens;
    }
}

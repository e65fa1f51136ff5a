// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Charter.Providers.Anthropic;
using Charter.Streaming;

namespace Charter.Benchmarks.Gateway;

/// <summary>The gateway's work for an Anthropic account: the request translated to the Messages API, a whole answer and a
/// 42-event stream translated back (no network). Compare <see cref="RequestPathBenchmarks.RelaySse"/>, the same stream
/// length passed through for an OpenAI upstream.</summary>
[MemoryDiagnoser]
public class AnthropicTranslationBenchmarks
{
    private byte[] _body = [];
    private byte[] _message = [];
    private byte[] _sse = [];
    private readonly ArrayBufferWriter<byte> _sink = new(64 * 1024);

    [GlobalSetup]
    public void Setup()
    {
        _body = Encoding.UTF8.GetBytes("""{"model":"claude-sonnet-4","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Say hello in one short sentence, please."}],"max_tokens":32,"temperature":0}""");
        _message = Message();
        _sse = Stream();
    }

    /// <summary>A ~1 KB Anthropic message (one text block, end_turn).</summary>
    internal static byte[] Message()
    {
        var content = string.Join(' ', Enumerable.Repeat("Paris is the capital of France, on the Seine.", 20));
        return Encoding.UTF8.GetBytes($$$"""{"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-20250514","content":[{"type":"text","text":"{{{content}}}"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":21,"output_tokens":200,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}""");
    }

    /// <summary>A 42-event Anthropic stream (38 text deltas).</summary>
    internal static byte[] Stream()
    {
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
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>A typical chat body (system + user) to a Messages body.</summary>
    [Benchmark]
    public int TranslateRequest()
    {
        _sink.ResetWrittenCount();
        return AnthropicRequestTranslator.TryTranslate(_body, "claude-sonnet-4-20250514", 4096, _sink, out _) ? _sink.WrittenCount : -1;
    }

    /// <summary>A ~1 KB message to a chat completion.</summary>
    [Benchmark]
    public int TranslateAnswer()
    {
        _sink.ResetWrittenCount();
        return AnthropicResponseTranslator.TryTranslate(_message, "claude-sonnet-4-20250514", 1, _sink) ? _sink.WrittenCount : -1;
    }

    /// <summary>A 42-event stream to OpenAI chunks with the usage chunk, per stream (the translator is per stream).</summary>
    [Benchmark]
    public int TranslateStream()
    {
        _sink.ResetWrittenCount();
        var outcome = default(StreamOutcome);
        var translator = new AnthropicStreamTranslator("claude-sonnet-4-20250514", 1, includeUsage: true, completionText: null);
        var consumed = translator.ProcessEvents(_sse, _sink, ref outcome);
        return consumed + outcome.Usage.CompletionTokens;
    }
}

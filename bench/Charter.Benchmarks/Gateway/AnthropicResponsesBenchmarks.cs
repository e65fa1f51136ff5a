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
        _message = AnthropicTranslationBenchmarks.Message();
        _sse = AnthropicTranslationBenchmarks.Stream();
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

// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Charter.Providers.Messages;
using Charter.Streaming;

namespace Charter.Benchmarks.Gateway;

/// <summary>The gateway's work for <c>POST /v1/messages</c> on an OpenAI-wire account: the Messages request translated to
/// chat completions, a whole chat answer and a 42-chunk chat stream translated back to Anthropic's shapes (no network).
/// The reverse direction is <see cref="AnthropicTranslationBenchmarks"/>; <see cref="RequestPathBenchmarks.RelaySse"/> passes
/// a stream of the same length through.</summary>
[MemoryDiagnoser]
public class MessagesTranslationBenchmarks
{
    private byte[] _body = [];
    private byte[] _answer = [];
    private byte[] _sse = [];
    private readonly ArrayBufferWriter<byte> _sink = new(64 * 1024);
    private readonly ArrayBufferWriter<byte> _text = new(4 * 1024);

    [GlobalSetup]
    public void Setup()
    {
        _body = Encoding.UTF8.GetBytes("""{"model":"claude-sonnet-4-5","max_tokens":32,"temperature":0,"system":[{"type":"text","text":"You are a helpful assistant.","cache_control":{"type":"ephemeral"}}],"messages":[{"role":"user","content":[{"type":"text","text":"Say hello in one short sentence, please."}]}]}""");
        _answer = Answer();
        _sse = Stream();
    }

    /// <summary>A ~1 KB chat completion (one text choice, stop).</summary>
    internal static byte[] Answer()
    {
        var content = string.Join(' ', Enumerable.Repeat("Paris is the capital of France, on the Seine.", 20));
        return Encoding.UTF8.GetBytes($$$"""{"id":"chatcmpl-01","object":"chat.completion","created":1700000000,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"message":{"role":"assistant","content":"{{{content}}}","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":21,"completion_tokens":200,"total_tokens":221,"prompt_tokens_details":{"cached_tokens":0}},"system_fingerprint":"fp_1"}""");
    }

    /// <summary>A 42-chunk chat stream: the role chunk, 38 text deltas, the finish, the usage chunk and [DONE].</summary>
    internal static byte[] Stream()
    {
        const string Head = "data: {\"id\":\"chatcmpl-01\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"gpt-4o-2024-08-06\",\"system_fingerprint\":\"fp_1\",\"choices\":";
        var sb = new StringBuilder();
        sb.Append(Head).Append("[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
        for (var i = 0; i < 38; i++)
        {
            sb.Append(Head).Append("[{\"index\":0,\"delta\":{\"content\":\" word\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
        }

        sb.Append(Head).Append("[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}\n\n");
        sb.Append(Head).Append("[],\"usage\":{\"prompt_tokens\":21,\"completion_tokens\":38,\"total_tokens\":59,\"prompt_tokens_details\":{\"cached_tokens\":0}}}\n\n");
        sb.Append("data: [DONE]\n\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>A typical Messages body (system block + user text block) to a chat body.</summary>
    [Benchmark]
    public int TranslateRequest()
    {
        _sink.ResetWrittenCount();
        return MessagesToChatRequest.TryTranslate(_body, "gpt-4o-2024-08-06", _sink, out _) ? _sink.WrittenCount : -1;
    }

    /// <summary>A ~1 KB chat completion to an Anthropic message.</summary>
    [Benchmark]
    public int TranslateAnswer()
    {
        _sink.ResetWrittenCount();
        return ChatToMessagesAnswer.TryTranslate(_answer, "msg_01", "claude-sonnet-4-5", _sink) ? _sink.WrittenCount : -1;
    }

    /// <summary>A 42-chunk chat stream to Anthropic's events, per stream (the translator is per stream).</summary>
    [Benchmark]
    public int TranslateStream()
    {
        _sink.ResetWrittenCount();
        _text.ResetWrittenCount();
        var outcome = default(StreamOutcome);
        var stream = new ChatToMessagesStream("msg_01", "claude-sonnet-4-5", _text);
        var consumed = stream.ProcessEvents(_sse, _sink, ref outcome);
        return consumed + outcome.Usage.CompletionTokens;
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Charter.Forwarding;
using Charter.Streaming;

namespace Charter.Benchmarks.Gateway;

/// <summary>The legacy completions' cost on the request path: the body's parse and a 42-chunk stream relayed with the usage
/// chunk Charter asked for removed (no network). Compare <see cref="RequestPathBenchmarks.ParseChat"/> and
/// <see cref="RequestPathBenchmarks.RelaySse"/>.</summary>
[MemoryDiagnoser]
public class CompletionsBenchmarks
{
    private byte[] _body = [];
    private byte[] _sse = [];
    private readonly ArrayBufferWriter<byte> _sink = new(64 * 1024);
    private readonly ArrayBufferWriter<byte> _text = new(4 * 1024);

    [GlobalSetup]
    public void Setup()
    {
        _body = Encoding.UTF8.GetBytes("""{"model":"gpt-3.5-turbo-instruct","prompt":"Question: What is the capital of France?\nAnswer:","max_tokens":32,"temperature":0,"logprobs":1,"stream":true}""");
        var sb = new StringBuilder();
        const string Head = "data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"choices\":[{\"text\":\"";
        for (var i = 0; i < 40; i++)
        {
            sb.Append(Head).Append(" word\",\"index\":0,\"logprobs\":null,\"finish_reason\":null}],\"model\":\"gpt-3.5-turbo-instruct\",\"usage\":null}\n\n");
        }

        sb.Append(Head).Append("\",\"index\":0,\"logprobs\":null,\"finish_reason\":\"length\"}],\"model\":\"gpt-3.5-turbo-instruct\",\"usage\":null}\n\n");
        sb.Append("data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"choices\":[],\"model\":\"gpt-3.5-turbo-instruct\",\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":40,\"total_tokens\":52}}\n\n");
        sb.Append("data: [DONE]\n\n");
        _sse = Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>One-pass validation and field extraction of a typical legacy completions body.</summary>
    [Benchmark]
    public int ParseCompletions()
    {
        RequestParser.ParseCompletions(_body, out var parsed);
        return parsed.MaxTokens;
    }

    /// <summary>Relaying a 43-event completions stream (text read aside, usage read and its chunk stripped), per stream.</summary>
    [Benchmark]
    public int RelayCompletionsSse()
    {
        _sink.ResetWrittenCount();
        _text.ResetWrittenCount();
        var outcome = default(StreamOutcome);
        var consumed = new OpenAiSseTransform(stripUsage: true, _text, legacyText: true).ProcessEvents(_sse, _sink, ref outcome);
        return consumed + outcome.Usage.CompletionTokens;
    }
}

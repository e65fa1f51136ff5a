// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Charter.Forwarding;
using Charter.Streaming;

namespace Charter.Benchmarks.Gateway;

/// <summary>The Responses API's cost on the request path: the body's parse and a 46-event stream relayed (no network).
/// Compare <see cref="RequestPathBenchmarks.ParseChat"/> and <see cref="RequestPathBenchmarks.RelaySse"/>.</summary>
[MemoryDiagnoser]
public class ResponsesBenchmarks
{
    private byte[] _body = [];
    private byte[] _sse = [];
    private readonly ArrayBufferWriter<byte> _sink = new(64 * 1024);
    private readonly ArrayBufferWriter<byte> _text = new(4 * 1024);

    [GlobalSetup]
    public void Setup()
    {
        _body = Encoding.UTF8.GetBytes("""{"model":"gpt-4o-mini","instructions":"You are a helpful assistant.","input":[{"role":"user","content":[{"type":"input_text","text":"Say hello in one short sentence, please."}]}],"max_output_tokens":32,"temperature":0}""");
        var sb = new StringBuilder();
        var seq = 0;
        const string Empty = "{\"id\":\"resp_1\",\"object\":\"response\",\"created_at\":1,\"status\":\"in_progress\",\"model\":\"gpt-4o-mini\",\"output\":[]}";
        sb.Append("event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":").Append(seq++).Append(",\"response\":").Append(Empty).Append("}\n\n");
        sb.Append("event: response.in_progress\ndata: {\"type\":\"response.in_progress\",\"sequence_number\":").Append(seq++).Append(",\"response\":").Append(Empty).Append("}\n\n");
        sb.Append("event: response.output_item.added\ndata: {\"type\":\"response.output_item.added\",\"sequence_number\":").Append(seq++).Append(",\"output_index\":0,\"item\":{\"id\":\"msg_1\",\"type\":\"message\",\"status\":\"in_progress\",\"role\":\"assistant\",\"content\":[]}}\n\n");
        for (var i = 0; i < 40; i++)
        {
            sb.Append("event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":").Append(seq++).Append(",\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":\" word\",\"logprobs\":[]}\n\n");
        }

        var text = string.Concat(Enumerable.Repeat(" word", 40));
        sb.Append("event: response.output_text.done\ndata: {\"type\":\"response.output_text.done\",\"sequence_number\":").Append(seq++).Append(",\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"text\":\"").Append(text).Append("\",\"logprobs\":[]}\n\n");
        sb.Append("event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":").Append(seq).Append(",\"response\":{\"id\":\"resp_1\",\"object\":\"response\",\"created_at\":1,\"status\":\"completed\",\"model\":\"gpt-4o-mini\",\"output\":[{\"id\":\"msg_1\",\"type\":\"message\",\"status\":\"completed\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"")
            .Append(text).Append("\",\"annotations\":[],\"logprobs\":[]}]}],\"usage\":{\"input_tokens\":21,\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":40,\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":61},\"metadata\":{}}}\n\n");
        _sse = Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>One-pass validation and field extraction of a typical Responses body.</summary>
    [Benchmark]
    public int ParseResponses()
    {
        RequestParser.ParseResponses(_body, out var parsed);
        return parsed.MaxTokens;
    }

    /// <summary>Relaying a 46-event Responses stream (events named, usage read from response.completed), per stream.</summary>
    [Benchmark]
    public int RelayResponsesSse()
    {
        _sink.ResetWrittenCount();
        _text.ResetWrittenCount();
        var outcome = default(StreamOutcome);
        var consumed = new ObservedSseTransform<ResponsesStreamState>(new ResponsesStreamState(_text)).ProcessEvents(_sse, _sink, ref outcome);
        return consumed + outcome.Usage.CompletionTokens;
    }
}

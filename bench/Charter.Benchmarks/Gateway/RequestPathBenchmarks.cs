// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Charter.Forwarding;
using Charter.Keys;
using Charter.Streaming;

namespace Charter.Benchmarks.Gateway;

/// <summary>The per-request CPU work of the gateway's own code: parse, key lookup, usage read, SSE relay (no network).</summary>
[MemoryDiagnoser]
public class RequestPathBenchmarks
{
    private byte[] _body = [];
    private byte[] _sse = [];
    private byte[] _completion = [];
    private KeyRegistry _registry = null!;
    private string _secret = "";
    private ArrayBufferWriter<byte> _sink = new(64 * 1024);

    [GlobalSetup]
    public void Setup()
    {
        _body = Encoding.UTF8.GetBytes("""{"model":"gpt-4o-mini","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Say hello in one short sentence, please."}],"max_tokens":32,"temperature":0}""");
        var sb = new StringBuilder();
        for (var i = 0; i < 40; i++)
        {
            sb.Append("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" word\"},\"finish_reason\":null}],\"usage\":null}\n\n");
        }

        sb.Append("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":21,\"completion_tokens\":40,\"total_tokens\":61}}\n\ndata: [DONE]\n\n");
        _sse = Encoding.UTF8.GetBytes(sb.ToString());
        var content = string.Join(' ', Enumerable.Repeat("Paris is the capital of France, on the Seine.", 20));
        _completion = Encoding.UTF8.GetBytes($$$"""{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"{{{content}}}","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":21,"completion_tokens":200,"total_tokens":221,"prompt_tokens_details":{"cached_tokens":0}},"system_fingerprint":"fp_1"}""");
        var store = new BenchStore();
        _registry = new KeyRegistry(store);
        _secret = KeySecrets.NewSecret();
        _registry.Upsert(new ApiKeyRecord
        {
            Id = "key_bench", TeamId = "team_bench", Hash = KeySecrets.Hash(_secret), Prefix = "ck-", Purposes = ["testing"], DefaultPurpose = "testing", CreatedAt = DateTimeOffset.UnixEpoch,
        });
    }

    /// <summary>One-pass validation and field extraction of a typical chat body.</summary>
    [Benchmark]
    public int ParseChat()
    {
        RequestParser.ParseChat(_body, out var parsed);
        return parsed.MaxTokens;
    }

    /// <summary>SHA-256 of the bearer secret, dictionary lookup, constant-time compare.</summary>
    [Benchmark]
    public bool AuthenticateKey() => _registry.AuthenticateAsync(_secret).Result is not null;

    /// <summary>Reading the usage of a ~1 KB completion (a member after usage, as some providers send it).</summary>
    [Benchmark]
    public int ReadUsage() => UsageReader.TryRead(_completion, out var usage) ? usage.CompletionTokens : -1;

    /// <summary>Relaying a 42-event stream (usage read, usage chunk and usage:null stripped), per stream.</summary>
    [Benchmark]
    public int RelaySse()
    {
        _sink.ResetWrittenCount();
        var outcome = default(StreamOutcome);
        var consumed = SseRelay.ProcessEvents(_sse, _sink, stripUsage: true, completionText: null, ref outcome);
        return consumed + outcome.Usage.CompletionTokens;
    }
}

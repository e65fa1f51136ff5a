// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using BenchmarkDotNet.Attributes;
using Charter.Sim;

namespace Charter.Benchmarks.Sim;

/// <summary>Cost of producing one simulated response (the upstream of the load benchmarks).</summary>
/// <remarks>Run: <c>dotnet run -c Release --project bench/Charter.Benchmarks -- --filter *SimulatorBenchmarks* --job short</c>.</remarks>
[MemoryDiagnoser]
public class SimulatorBenchmarks
{
    private static readonly SimRequest s_chat = new(SimEndpoint.ChatCompletions, SimFlavor.OpenAI, null, null, false, "bench-id");
    private static readonly SimRequest s_embeddings = new(SimEndpoint.Embeddings, SimFlavor.OpenAI, null, null, false, null);

    private Simulator _sim = null!;
    private ReadOnlySequence<byte> _chatBody;
    private ReadOnlySequence<byte> _streamBody;
    private ReadOnlySequence<byte> _embeddingBody;
    private PipeWriter _sink = null!;
    private HttpClient _client = null!;
    private byte[] _chatBytes = [];

    [GlobalSetup]
    public void Setup()
    {
        _sim = new Simulator(new SimulatorOptions());
        const string messages = "\"messages\":[{\"role\":\"system\",\"content\":\"You are a helpful assistant.\"},{\"role\":\"user\",\"content\":\"Summarise the benefits of a policy-bound LLM gateway in one paragraph.\"}]";
        _chatBytes = Encoding.UTF8.GetBytes("{\"model\":\"gpt-4o-mini\"," + messages + "}");
        _chatBody = new ReadOnlySequence<byte>(_chatBytes);
        _streamBody = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes("{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":{\"include_usage\":true}," + messages + "}"));
        _embeddingBody = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes("""{"model":"text-embedding-3-small","input":"The quick brown fox jumps over the lazy dog."}"""));
        _sink = PipeWriter.Create(Stream.Null);
        _client = new HttpClient(new SimulatorHttpHandler(_sim)) { BaseAddress = new Uri("http://sim") };
    }

    [GlobalCleanup]
    public void Cleanup() => _client.Dispose();

    [Benchmark(Baseline = true)]
    public int ChatCompletion()
    {
        using var response = _sim.Handle(s_chat, _chatBody);
        return response.Body!.WrittenCount;
    }

    [Benchmark]
    public async Task<int> ChatCompletionStream()
    {
        using var response = _sim.Handle(s_chat, _streamBody);
        return (int)await response.Stream!.WriteAsync(_sink, CancellationToken.None);
    }

    [Benchmark]
    public int Embedding1536()
    {
        using var response = _sim.Handle(s_embeddings, _embeddingBody);
        return response.Body!.WrittenCount;
    }

    [Benchmark]
    public async Task<int> InProcessHandlerChat()
    {
        using var content = new ByteArrayContent(_chatBytes);
        using var response = await _client.PostAsync("/v1/chat/completions", content);
        return (await response.Content.ReadAsByteArrayAsync()).Length;
    }
}

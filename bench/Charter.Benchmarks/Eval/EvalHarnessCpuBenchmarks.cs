// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using Charter.Eval.Client;
using Charter.Eval.Running;
using Charter.Eval.Suites;

namespace Charter.Benchmarks.Eval;

/// <summary>The harness's own CPU per case: render, serialise, send through HttpClient to an in-memory handler
/// that answers instantly, parse, score. No network, no database: what remains is the harness.</summary>
/// <remarks>One operation = the 300-case suite on 3 models (900 cases); divide the mean by 900 for the per-case figure.</remarks>
[MemoryDiagnoser]
public class EvalHarnessCpuBenchmarks
{
    private EvalSuite _suite = null!;
    private GatewayClient _client = null!;

    [GlobalSetup]
    public void Setup()
    {
        _suite = EvalBenchData.LoadMcSuite();
        _client = new GatewayClient(new GatewayClientOptions { BaseUrl = "http://bench.local" }, new InstantHandler());
    }

    [GlobalCleanup]
    public void Cleanup() => _client.Dispose();

    [Benchmark(OperationsPerInvoke = 1)]
    public async Task<int> Run900Cases()
    {
        var outcome = await new EvalRunner(_client, null).RunAsync(_suite, new EvalRunOptions { Concurrency = 16 }).ConfigureAwait(false);
        return outcome.Results.Count;
    }

    /// <summary>Answers every chat request with a fixed multiple-choice completion.</summary>
    private sealed class InstantHandler : HttpMessageHandler
    {
        private static readonly byte[] _body = Encoding.UTF8.GetBytes(
            "{\"id\":\"chatcmpl-x\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"The answer is (B).\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":60,\"completion_tokens\":4,\"total_tokens\":64}}");

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new ByteArrayContent(_body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
        }
    }
}

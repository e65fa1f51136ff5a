// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text;
using BenchmarkDotNet.Attributes;
using Charter.Accounting;
using Microsoft.Extensions.Options;

namespace Charter.Benchmarks.Accounting;

/// <summary>Admission estimate of a typical chat body (system prompt, a short exchange, ~1.6 KB), and the price lookup.</summary>
[MemoryDiagnoser]
public class TokenEstimatorBenchmarks
{
    private readonly TokenEstimator _estimator = new();
    private readonly PriceTable _prices = new(Options.Create(new PricingOptions
    {
        Models = new() { ["gpt-4o"] = new ModelPrice { InputPerMillion = 2.5m, CachedInputPerMillion = 1.25m, OutputPerMillion = 10m }, ["gpt-4o-mini*"] = new ModelPrice { InputPerMillion = 0.15m, OutputPerMillion = 0.6m } },
    }));

    private byte[] _body = [];

    [GlobalSetup]
    public void Setup()
    {
        var system = "You are a careful assistant for an insurance company. Answer briefly, cite the policy section, and never invent numbers. "
            + "If the question is outside the policy, say so and suggest contacting an agent. Use plain English; avoid jargon.";
        var question = string.Concat(Enumerable.Repeat("My car was damaged by hail while parked at work; does comprehensive cover it, and what is my deductible? ", 6));
        var body = $$$"""
            {"model":"gpt-4o","messages":[{"role":"system","content":"{{{system}}}"},{"role":"user","content":"Hi, I have a question about my auto policy."},
            {"role":"assistant","content":"Of course. Which part of the policy would you like to discuss?"},{"role":"user","content":"{{{question}}}"}],
            "temperature":0.2,"max_tokens":400,"stream":true,"stream_options":{"include_usage":true}}
            """;
        _body = Encoding.UTF8.GetBytes(body);
        _estimator.EstimateChat(_body);
    }

    [Benchmark]
    public long EstimateChat() => _estimator.EstimateChat(_body).AdmissionTokens;

    [Benchmark]
    public long CostNanoUsd() => _prices.CostNanoUsd("gpt-4o-mini-2024-07-18", new TokenUsage(1234, 400, 200));
}

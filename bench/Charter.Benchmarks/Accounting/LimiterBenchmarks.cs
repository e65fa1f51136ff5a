// Copyright (c) Charter contributors. Licensed under the MIT License.

using BenchmarkDotNet.Attributes;
using Charter.Accounting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Charter.Benchmarks.Accounting;

/// <summary>The in-process limiter on the request path: admit and complete one request for a key and its team.</summary>
[MemoryDiagnoser]
public class LimiterBenchmarks
{
    private static readonly LimitSet KeyLimits = new() { RequestsPerMinute = long.MaxValue / 4, TokensPerMinute = long.MaxValue / 4, MaxConcurrentRequests = 1_000_000, DailyBudgetUsd = 1_000_000m };
    private static readonly LimitSet TeamLimits = new() { RequestsPerMinute = long.MaxValue / 4, MonthlyBudgetUsd = 1_000_000m };
    private LocalLimitStore _store = null!;
    private IRateLimiter _limiter = null!;
    private AdmissionRequest _request;

    [GlobalSetup]
    public void Setup()
    {
        var options = Options.Create(new LimitsOptions());
        _store = new LocalLimitStore(options, TimeProvider.System);
        _limiter = new RateLimiter(_store, _store, new OptionsMonitor(options.Value), NullLogger<RateLimiter>.Instance);
        _request = new AdmissionRequest("key-0001", KeyLimits, "team-01", TeamLimits, 1200);
    }

    [Benchmark(Baseline = true)]
    public bool TryAcquireAndComplete()
    {
        var decision = _store.TryAcquire(_request);
        _store.Complete(decision.Lease, 1100, 12_345);
        return decision.Allowed;
    }

    [Benchmark]
    public async ValueTask<bool> LimiterAcquireAndComplete()
    {
        var decision = await _limiter.AcquireAsync(_request).ConfigureAwait(false);
        await _limiter.CompleteAsync(decision.Lease, 1100, 12_345).ConfigureAwait(false);
        return decision.Allowed;
    }

    private sealed class OptionsMonitor(LimitsOptions value) : IOptionsMonitor<LimitsOptions>
    {
        public LimitsOptions CurrentValue => value;

        public LimitsOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<LimitsOptions, string?> listener) => null;
    }
}

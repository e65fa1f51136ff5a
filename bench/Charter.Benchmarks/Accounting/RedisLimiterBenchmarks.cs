// Copyright (c) Charter contributors. Licensed under the MIT License.

using BenchmarkDotNet.Attributes;
using Charter.Accounting;
using Charter.Redis;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Charter.Benchmarks.Accounting;

/// <summary>The shared limiter: one admission and one completion script round trip to a loopback Redis.</summary>
/// <remarks>Needs CHARTER_TEST_REDIS (eng/services.sh start &amp;&amp; eval "$(eng/services.sh env)").</remarks>
[MemoryDiagnoser]
public class RedisLimiterBenchmarks
{
    private static readonly LimitSet KeyLimits = new() { RequestsPerMinute = long.MaxValue / 4, TokensPerMinute = long.MaxValue / 4, MaxConcurrentRequests = 1_000_000, DailyBudgetUsd = 1_000_000m };
    private static readonly LimitSet TeamLimits = new() { RequestsPerMinute = long.MaxValue / 4, MonthlyBudgetUsd = 1_000_000m };
    private ConnectionMultiplexer _redis = null!;
    private RedisLimitStore _store = null!;
    private AdmissionRequest _request;

    [GlobalSetup]
    public void Setup()
    {
        var endpoint = Environment.GetEnvironmentVariable("CHARTER_TEST_REDIS")
            ?? throw new InvalidOperationException("Set CHARTER_TEST_REDIS (eng/services.sh start && eval \"$(eng/services.sh env)\").");
        _redis = RedisConnectionFactory.Connect(endpoint, 5000);
        var options = Options.Create(new LimitsOptions { RedisKeyPrefix = $"charter-bench:{Guid.NewGuid():N}:" });
        _store = new RedisLimitStore(_redis, options, TimeProvider.System, NullLogger<RedisLimitStore>.Instance);
        _request = new AdmissionRequest("key-0001", KeyLimits, "team-01", TeamLimits, 1200);
    }

    [GlobalCleanup]
    public void Cleanup() => _redis.Dispose();

    [Benchmark]
    public async Task<bool> AcquireAndComplete()
    {
        var decision = await _store.TryAcquireAsync(_request).ConfigureAwait(false);
        await _store.CompleteAsync(decision.Lease, 1100, 12_345).ConfigureAwait(false);
        return decision.Allowed;
    }
}

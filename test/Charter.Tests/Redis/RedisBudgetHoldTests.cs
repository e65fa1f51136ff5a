// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Accounting;
using Charter.Policy;
using Charter.Policy.Lifecycle;
using Charter.Redis;
using Charter.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Charter.Tests.Redis;

/// <summary>The budget hold over the shared (Redis) spend counters and the per-key limits shared through the database.</summary>
public sealed class RedisBudgetHoldTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private readonly LimitsOptions _options = new()
    {
        RedisKeyPrefix = $"charter-test:{Guid.NewGuid():N}:",
        RedisTimeoutMs = 5000,
        KeyDefaults = new LimitSet { DailyBudgetUsd = 0.05m },
    };

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SweepAsync_SpendOnOneInstanceBudgetRaisedOnTheOther_ClearsHoldOnlyOnceBudgetAllows()
    {
        var a = new RedisLimitStore(redis.First, Options.Create(_options), _clock, NullLogger<RedisLimitStore>.Instance);
        var b = new RedisLimitStore(redis.Second, Options.Create(_options), _clock, NullLogger<RedisLimitStore>.Instance);
        var lease = (await a.TryAcquireAsync(new AdmissionRequest("key", _options.KeyDefaults, null, null, 0), Ct)).Lease;
        Assert.True(await a.CompleteAsync(lease, 10, 6 * (Money.NanoPerUsd / 100), Ct));
        // Own limits are shared through the gateway database (here one SQLite file opened by both instances).
        var dir = Directory.CreateTempSubdirectory("charter-redis-hold-").FullName;
        var dbA = new SqliteGatewayStore(Path.Combine(dir, "charter.db"));
        await dbA.MigrateAsync(Ct);
        var dbB = new SqliteGatewayStore(Path.Combine(dir, "charter.db"));
        var limitsB = new SubjectLimits(new StaticMonitor(_options), new SqliteLimitOverrideStore(dbB, new StaticMonitor(_options)));
        var limitsA = new SubjectLimits(new StaticMonitor(_options), new SqliteLimitOverrideStore(dbA, new StaticMonitor(_options)));
        var lifecycleStore = new InMemoryLifecycleStore();
        var cache = new LifecycleCache(lifecycleStore);
        var coordinator = new LifecycleCoordinator(lifecycleStore, cache, null, _clock, new LifecycleOptions(), NullLogger<LifecycleCoordinator>.Instance);
        var holdsB = new BudgetHolds(cache, coordinator, limitsB, b, _clock, NullLogger<BudgetHolds>.Instance);
        await holdsB.OnRefused(LimitKind.DailyBudget, LimitScope.Key, "key")!;

        var whileSpent = await holdsB.SweepAsync(Ct);
        await limitsA.SetAsync(LimitScope.Key, "key", new LimitSet { DailyBudgetUsd = 0.10m }, Ct);
        await limitsB.ReloadAsync(Ct);
        var afterRaise = await holdsB.SweepAsync(Ct);

        Assert.Equal(0, whileSpent);
        Assert.Equal(1, afterRaise);
        Assert.False(holdsB.TryGetHold("key", null, out _));
        Assert.Equal(0.10m, limitsB.ForKey("key").DailyBudgetUsd);
        SqliteConnection.ClearAllPools();
        Directory.Delete(dir, recursive: true);
    }

    private sealed class StaticMonitor(LimitsOptions value) : IOptionsMonitor<LimitsOptions>
    {
        public LimitsOptions CurrentValue => value;

        public LimitsOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<LimitsOptions, string?> listener) => null;
    }
}

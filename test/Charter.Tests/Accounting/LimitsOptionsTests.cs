// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Accounting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Charter.Tests.Accounting;

public sealed class LimitsOptionsTests
{
    [Fact]
    public void Defaults_AreDocumentedValues()
    {
        var options = new LimitsOptions();

        Assert.Equal(RedisFailurePolicy.FailClosed, options.OnRedisFailurePolicy);
        Assert.Equal(RedisFailurePolicy.FailClosed, options.BudgetsOnRedisFailurePolicy);
        Assert.Equal(60, options.WindowBuckets);
        Assert.Equal(1000, options.BucketMilliseconds);
        Assert.True(options.KeyDefaults.IsUnlimited);
    }

    [Fact]
    public void AddCharterAccounting_SnakeCaseConfiguration_BindsEveryField()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["limits:on_redis_failure"] = "fail_open_local",
            ["limits:window_buckets"] = "30",
            ["limits:key_defaults:requests_per_minute"] = "60",
            ["limits:key_defaults:tokens_per_minute"] = "90000",
            ["limits:key_defaults:max_concurrent_requests"] = "4",
            ["limits:key_defaults:daily_budget_usd"] = "12.5",
            ["limits:team_defaults:monthly_budget_usd"] = "1000",
            ["pricing:models:gpt-4o:input"] = "2.5",
            ["pricing:models:gpt-4o:cached_input"] = "1.25",
            ["pricing:models:gpt-4o:output"] = "10",
        }).Build();
        using var provider = new ServiceCollection().AddSingleton<IConfiguration>(config).AddLogging().AddCharterAccounting().BuildServiceProvider();

        var limits = provider.GetRequiredService<IOptions<LimitsOptions>>().Value;
        var prices = provider.GetRequiredService<PriceTable>();

        Assert.Equal(RedisFailurePolicy.FailOpenLocal, limits.OnRedisFailurePolicy);
        Assert.Equal(30, limits.WindowBuckets);
        Assert.Equal(new LimitSet { RequestsPerMinute = 60, TokensPerMinute = 90_000, MaxConcurrentRequests = 4, DailyBudgetUsd = 12.5m }, limits.KeyDefaults);
        Assert.Equal(1000m, limits.TeamDefaults.MonthlyBudgetUsd);
        Assert.True(prices.TryGetPrice("GPT-4o", out var price));
        Assert.Equal(new ModelPrice { InputPerMillion = 2.5m, CachedInputPerMillion = 1.25m, OutputPerMillion = 10m }, price);
        Assert.NotNull(provider.GetRequiredService<IRateLimiter>());
        Assert.NotNull(provider.GetRequiredService<IChangeNotifier>());
    }

    [Fact]
    public void Validate_SeveralMistakes_ReportsEveryOne()
    {
        var options = new LimitsOptions
        {
            OnRedisFailure = "sometimes",
            WindowBuckets = 7,
            ConcurrencyLeaseSeconds = 0,
            KeyDefaults = new LimitSet { RequestsPerMinute = -1 },
        };

        var result = new LimitsOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(4, result.Failures!.Count());
        Assert.Contains(result.Failures!, f => f.Contains("on_redis_failure", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("fail_closed", RedisFailurePolicy.FailClosed)]
    [InlineData("FailOpenLocal", RedisFailurePolicy.FailOpenLocal)]
    [InlineData("fail-open-local", RedisFailurePolicy.FailOpenLocal)]
    [InlineData("open", null)]
    public void ParsePolicy_Spellings_Recognised(string text, RedisFailurePolicy? expected)
    {
        Assert.Equal(expected, LimitsOptions.ParsePolicy(text));
    }
}

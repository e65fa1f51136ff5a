// Copyright (c) Charter contributors. Licensed under the MIT License.

using Microsoft.Extensions.Configuration;

namespace Charter.Accounting;

/// <summary>Rate limits, budgets and their failure policy; bound from configuration section <c>limits</c>.</summary>
public sealed class LimitsOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "limits";

    /// <summary>Limits of a key that has none of its own. Default: unlimited.</summary>
    [ConfigurationKeyName("key_defaults")]
    public LimitSet KeyDefaults { get; set; } = new();

    /// <summary>Limits of a team that has none of its own. Default: unlimited.</summary>
    [ConfigurationKeyName("team_defaults")]
    public LimitSet TeamDefaults { get; set; } = new();

    /// <summary>
    /// When Redis is unreachable: <c>fail_closed</c> refuses requests, <c>fail_open_local</c> falls back to the
    /// in-process limiter (limits then hold per instance). Default: <c>fail_closed</c>.
    /// </summary>
    [ConfigurationKeyName("on_redis_failure")]
    public string OnRedisFailure { get; set; } = "fail_closed";

    /// <summary>
    /// Same choice for requests whose key or team has a spend budget; overrides <see cref="OnRedisFailure"/> for them.
    /// Default: <c>fail_closed</c> (a local fallback cannot know what other instances spent).
    /// </summary>
    [ConfigurationKeyName("budgets_on_redis_failure")]
    public string BudgetsOnRedisFailure { get; set; } = "fail_closed";

    /// <summary>Sub-buckets of the 60-second sliding window; 60 gives 1-second precision. Default: 60.</summary>
    [ConfigurationKeyName("window_buckets")]
    public int WindowBuckets { get; set; } = 60;

    /// <summary>A concurrency slot not released (crashed instance) expires after this many seconds. Default: 600.</summary>
    [ConfigurationKeyName("concurrency_lease_seconds")]
    public int ConcurrencyLeaseSeconds { get; set; } = 600;

    /// <summary>Completion tokens assumed at admission when the request sets no max_tokens. Default: 256.</summary>
    [ConfigurationKeyName("default_completion_tokens")]
    public int DefaultCompletionTokens { get; set; } = 256;

    /// <summary>Prefix of every Redis key the limiter writes. Default: <c>charter:</c>.</summary>
    [ConfigurationKeyName("redis_key_prefix")]
    public string RedisKeyPrefix { get; set; } = "charter:";

    /// <summary>Longest wait for one Redis limiter call before it counts as a failure, in ms. Default: 500.</summary>
    [ConfigurationKeyName("redis_timeout_ms")]
    public int RedisTimeoutMs { get; set; } = 500;

    /// <summary>
    /// How often the budget-hold sweep looks for held keys and teams whose budget allows spending again (a new day or month,
    /// or a raised budget), in seconds. Default: 10.
    /// </summary>
    [ConfigurationKeyName("budget_sweep_seconds")]
    public int BudgetSweepSeconds { get; set; } = 10;

    /// <summary>The parsed <see cref="OnRedisFailure"/> (invalid text reads as fail-closed; the validator reports it).</summary>
    public RedisFailurePolicy OnRedisFailurePolicy => ParsePolicy(OnRedisFailure) ?? RedisFailurePolicy.FailClosed;

    /// <summary>The parsed <see cref="BudgetsOnRedisFailure"/>.</summary>
    public RedisFailurePolicy BudgetsOnRedisFailurePolicy => ParsePolicy(BudgetsOnRedisFailure) ?? RedisFailurePolicy.FailClosed;

    /// <summary>Width of one window bucket in milliseconds.</summary>
    public long BucketMilliseconds => 60_000 / Math.Max(1, WindowBuckets);

    /// <summary>Parses <c>fail_closed</c> / <c>fail_open_local</c> (case and underscores ignored); null when unknown.</summary>
    public static RedisFailurePolicy? ParsePolicy(string? value)
    {
        var normalized = (value ?? string.Empty).Replace("_", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
        if (normalized.Equals("failclosed", StringComparison.OrdinalIgnoreCase))
        {
            return RedisFailurePolicy.FailClosed;
        }

        if (normalized.Equals("failopenlocal", StringComparison.OrdinalIgnoreCase))
        {
            return RedisFailurePolicy.FailOpenLocal;
        }

        return null;
    }
}

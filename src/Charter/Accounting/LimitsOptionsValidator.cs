// Copyright (c) Charter contributors. Licensed under the MIT License.

using Microsoft.Extensions.Options;

namespace Charter.Accounting;

/// <summary>Validates <see cref="LimitsOptions"/>, reporting every error at once.</summary>
internal sealed class LimitsOptionsValidator : IValidateOptions<LimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, LimitsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (LimitsOptions.ParsePolicy(options.OnRedisFailure) is null)
        {
            errors.Add($"limits.on_redis_failure: '{options.OnRedisFailure}' is not fail_closed or fail_open_local.");
        }

        if (LimitsOptions.ParsePolicy(options.BudgetsOnRedisFailure) is null)
        {
            errors.Add($"limits.budgets_on_redis_failure: '{options.BudgetsOnRedisFailure}' is not fail_closed or fail_open_local.");
        }

        if (options.WindowBuckets is < 1 or > 600 || 60_000 % options.WindowBuckets != 0)
        {
            errors.Add($"limits.window_buckets: {options.WindowBuckets} must divide 60000 ms evenly and lie in 1..600.");
        }

        if (options.ConcurrencyLeaseSeconds < 1)
        {
            errors.Add("limits.concurrency_lease_seconds must be at least 1.");
        }

        if (options.DefaultCompletionTokens < 0)
        {
            errors.Add("limits.default_completion_tokens must not be negative.");
        }

        if (options.RedisTimeoutMs < 1)
        {
            errors.Add("limits.redis_timeout_ms must be at least 1.");
        }

        if (options.BudgetSweepSeconds < 1)
        {
            errors.Add("limits.budget_sweep_seconds must be at least 1.");
        }

        if (string.IsNullOrEmpty(options.RedisKeyPrefix))
        {
            errors.Add("limits.redis_key_prefix must not be empty.");
        }

        ValidateSet("limits.key_defaults", options.KeyDefaults, errors);
        ValidateSet("limits.team_defaults", options.TeamDefaults, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    internal static void ValidateSet(string path, LimitSet? set, List<string> errors)
    {
        if (set is null)
        {
            errors.Add($"{path} must not be null.");
            return;
        }

        if (set.RequestsPerMinute < 0 || set.TokensPerMinute < 0 || set.MaxConcurrentRequests < 0)
        {
            errors.Add($"{path}: per-minute and concurrency limits must not be negative.");
        }

        if (set.DailyBudgetUsd < 0 || set.MonthlyBudgetUsd < 0)
        {
            errors.Add($"{path}: budgets must not be negative.");
        }
    }
}

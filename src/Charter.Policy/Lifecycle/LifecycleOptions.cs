// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy.Lifecycle;

/// <summary>Options for <see cref="LifecycleService"/>.</summary>
public sealed class LifecycleOptions
{
    /// <summary>What the deadline sweep does to a suspension past its deadline with measures open. Default: ban.</summary>
    public DeadlineExpiryMode DeadlineExpiry { get; set; } = DeadlineExpiryMode.Ban;

    /// <summary>How many times <see cref="LifecycleService.ApplyAsync"/> retries after a concurrency conflict. Default: 3.</summary>
    public int MaxConflictRetries { get; set; } = 3;
}

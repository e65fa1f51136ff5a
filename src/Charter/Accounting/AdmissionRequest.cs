// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Accounting;

/// <summary>What the limiter needs to admit one request: who sends it, their limits, and its token estimate.</summary>
/// <param name="KeyId">Stable id of the API key (never the secret).</param>
/// <param name="KeyLimits">The key's limits.</param>
/// <param name="TeamId">Id of the key's team, or null when the key has none.</param>
/// <param name="TeamLimits">The team's limits (ignored when <paramref name="TeamId"/> is null).</param>
/// <param name="EstimatedTokens">Prompt tokens plus the completion allowance (see <see cref="TokenEstimator"/>).</param>
public readonly record struct AdmissionRequest(
    string KeyId,
    LimitSet KeyLimits,
    string? TeamId,
    LimitSet? TeamLimits,
    long EstimatedTokens);

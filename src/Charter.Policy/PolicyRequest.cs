// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy;

/// <summary>What the policy engine needs to know about one request; built by the gateway without allocation.</summary>
/// <remarks>
/// Absent optional parameters: <see cref="N"/> 0 means "not set" (OpenAI's default of 1 applies),
/// <see cref="MaxTokens"/>/<see cref="Temperature"/> null means "not set" (conditions on them do not match and
/// limits on them do not apply), <see cref="Jurisdiction"/> null means unknown (see the organization setting
/// `require_jurisdiction`).
/// </remarks>
public readonly struct PolicyRequest
{
    /// <summary>The Charter key id (not the secret).</summary>
    public string? KeyId { get; init; }

    /// <summary>The team that owns the key.</summary>
    public string? TeamId { get; init; }

    /// <summary>The declared purpose (header `Charter-Purpose`, else the key's default purpose).</summary>
    public string? Purpose { get; init; }

    /// <summary>The kind of the provider the request would be sent to.</summary>
    public ProviderKind Provider { get; init; }

    /// <summary>The provider account id the request would be sent to.</summary>
    public string? AccountId { get; init; }

    /// <summary>The upstream model name (after alias resolution).</summary>
    public string? Model { get; init; }

    /// <summary>ISO 3166-1 alpha-2 country code of the caller (from the key or team), or null if unknown.</summary>
    public string? Jurisdiction { get; init; }

    /// <summary>The `n` parameter; 0 when absent.</summary>
    public int N { get; init; }

    /// <summary>The `max_tokens` / `max_completion_tokens` parameter; null when absent.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>Whether `logprobs` was requested.</summary>
    public bool Logprobs { get; init; }

    /// <summary>The `top_logprobs` parameter; 0 when absent.</summary>
    public int TopLogprobs { get; init; }

    /// <summary>Number of entries in `logit_bias`; 0 when absent.</summary>
    public int LogitBiasCount { get; init; }

    /// <summary>The `temperature` parameter; null when absent.</summary>
    public double? Temperature { get; init; }

    /// <summary>Whether the request streams.</summary>
    public bool Stream { get; init; }

    /// <summary>When the request arrived (time conditions are evaluated in UTC).</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>The effective `n` (1 when absent).</summary>
    internal int EffectiveN => N <= 0 ? 1 : N;
}

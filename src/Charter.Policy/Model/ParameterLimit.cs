// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy.Model;

/// <summary>A limit on request parameters imposed by a provider's terms, optionally only for some purposes.</summary>
internal sealed record ParameterLimit
{
    public required string Id { get; init; }

    public IReadOnlyList<string>? Purposes { get; init; }

    public int? MaxN { get; init; }

    public int? MaxTokens { get; init; }

    /// <summary>False when `logprobs` is not allowed.</summary>
    public bool? Logprobs { get; init; }

    public int? MaxTopLogprobs { get; init; }

    public int? MaxLogitBias { get; init; }

    public string? Message { get; init; }
}

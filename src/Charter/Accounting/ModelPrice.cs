// Copyright (c) Charter contributors. Licensed under the MIT License.

using Microsoft.Extensions.Configuration;

namespace Charter.Accounting;

/// <summary>Prices of one model in US dollars per million tokens.</summary>
public sealed record ModelPrice
{
    /// <summary>Uncached input (prompt) tokens, USD per million.</summary>
    [ConfigurationKeyName("input")]
    public decimal InputPerMillion { get; init; }

    /// <summary>Cached input tokens, USD per million; null means the input price.</summary>
    [ConfigurationKeyName("cached_input")]
    public decimal? CachedInputPerMillion { get; init; }

    /// <summary>Output (completion) tokens, USD per million.</summary>
    [ConfigurationKeyName("output")]
    public decimal OutputPerMillion { get; init; }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using Microsoft.Extensions.Configuration;

namespace Charter.Accounting;

/// <summary>The price table; bound from configuration section <c>pricing</c>.</summary>
/// <remarks>
/// <code>
/// pricing:
///   models:
///     gpt-4o:        { input: 2.50, cached_input: 1.25, output: 10.00 }
///     "gpt-4o-mini*": { input: 0.15, cached_input: 0.075, output: 0.60 }
///     "*":           { input: 1.00, output: 4.00 }   # default for unlisted models
/// </code>
/// Names match exactly (ignoring case) first, then by glob (<c>*</c>, <c>?</c>), the most specific glob winning
/// (most literal characters). A model that matches nothing costs 0 and <see cref="PriceTable.TryGetPrice"/> says so.
/// </remarks>
public sealed class PricingOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "pricing";

    /// <summary>Prices per model name or glob. Default: empty (everything costs 0).</summary>
    [ConfigurationKeyName("models")]
    public Dictionary<string, ModelPrice> Models { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

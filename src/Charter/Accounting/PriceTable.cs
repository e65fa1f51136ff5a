// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Charter.Accounting;

/// <summary>Computes the cost of a request from its token usage and the configured prices, exactly (decimal).</summary>
public sealed class PriceTable
{
    private const int MaxMemoEntries = 10_000;
    private const decimal Million = 1_000_000m;

    private readonly Dictionary<string, ModelPrice> _exact = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<KeyValuePair<string, ModelPrice>> _globs = [];
    private readonly ConcurrentDictionary<string, ModelPrice?> _memo = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Builds the table from options.</summary>
    public PriceTable(IOptions<PricingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var (name, price) in options.Value.Models)
        {
            if (price is null)
            {
                continue;
            }

            if (name.Contains('*', StringComparison.Ordinal) || name.Contains('?', StringComparison.Ordinal))
            {
                _globs.Add(new(name, price));
            }
            else
            {
                _exact[name] = price;
            }
        }

        // Most literal characters first: "gpt-4o-mini*" beats "gpt-4o*" beats "*".
        _globs.Sort(static (a, b) => Literals(b.Key).CompareTo(Literals(a.Key)));
    }

    /// <summary>Finds the price of <paramref name="model"/>; false when no entry (not even "*") matches.</summary>
    public bool TryGetPrice(string model, out ModelPrice price)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (_exact.TryGetValue(model, out var exact))
        {
            price = exact;
            return true;
        }

        if (!_memo.TryGetValue(model, out var found))
        {
            found = null;
            foreach (var (pattern, candidate) in _globs)
            {
                if (GlobMatches(pattern, model))
                {
                    found = candidate;
                    break;
                }
            }

            if (_memo.Count < MaxMemoEntries)
            {
                _memo.TryAdd(model, found);
            }
        }

        price = found!;
        return found is not null;
    }

    /// <summary>Cost in US dollars, exact: uncached input, cached input and output tokens times their prices.</summary>
    /// <returns>0 for a model without a price.</returns>
    public decimal Cost(string model, in TokenUsage usage) =>
        TryGetPrice(model, out var price) ? Cost(price, usage) : 0m;

    /// <summary>Cost in nano-dollars (the unit of budget counters), rounded half away from zero.</summary>
    public long CostNanoUsd(string model, in TokenUsage usage) => Money.ToNanoUsd(Cost(model, usage));

    /// <summary>Cost of <paramref name="usage"/> at <paramref name="price"/>, in US dollars.</summary>
    public static decimal Cost(ModelPrice price, in TokenUsage usage)
    {
        ArgumentNullException.ThrowIfNull(price);
        var cached = Math.Clamp(usage.CachedPromptTokens, 0, Math.Max(0, usage.PromptTokens));
        var uncached = Math.Max(0, usage.PromptTokens) - cached;
        var output = Math.Max(0, usage.CompletionTokens);
        var perMillion = (uncached * price.InputPerMillion)
            + (cached * (price.CachedInputPerMillion ?? price.InputPerMillion))
            + (output * price.OutputPerMillion);
        return perMillion / Million;
    }

    internal static bool GlobMatches(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text) => Charter.Policy.Compilation.ModelGlob.IsMatch(pattern, text);

    private static int Literals(string pattern)
    {
        var count = 0;
        foreach (var c in pattern)
        {
            if (c is not ('*' or '?'))
            {
                count++;
            }
        }

        return count;
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Accounting;
using Microsoft.Extensions.Options;

namespace Charter.Tests.Accounting;

public sealed class PriceTableTests
{
    private static readonly PriceTable Table = new(Options.Create(new PricingOptions
    {
        Models = new(StringComparer.OrdinalIgnoreCase)
        {
            ["gpt-4o"] = new ModelPrice { InputPerMillion = 2.50m, CachedInputPerMillion = 1.25m, OutputPerMillion = 10.00m },
            ["gpt-4o*"] = new ModelPrice { InputPerMillion = 5m, OutputPerMillion = 15m },
            ["gpt-4o-mini*"] = new ModelPrice { InputPerMillion = 0.15m, CachedInputPerMillion = 0.075m, OutputPerMillion = 0.60m },
            ["claude-?-haiku"] = new ModelPrice { InputPerMillion = 0.8m, OutputPerMillion = 4m },
        },
    }));

    [Fact]
    public void Cost_CachedAndUncachedInputAndOutput_IsExact()
    {
        var usage = new TokenUsage(PromptTokens: 1234, CompletionTokens: 567, CachedPromptTokens: 200);

        var cost = Table.Cost("gpt-4o", usage);

        // (1034 x 2.50 + 200 x 1.25 + 567 x 10) / 1e6
        Assert.Equal(0.008505m, cost);
        Assert.Equal(8_505_000, Table.CostNanoUsd("gpt-4o", usage));
    }

    [Fact]
    public void Cost_SubMicroDollarPrices_KeepsEveryDigitInNanoDollars()
    {
        var cost = Table.Cost("gpt-4o-mini-2024-07-18", new TokenUsage(1, 0, CachedPromptTokens: 1));

        Assert.Equal(0.000000075m, cost);
        Assert.Equal(75, Money.ToNanoUsd(cost));
    }

    [Theory]
    [InlineData("GPT-4O", 2.50)]
    [InlineData("gpt-4o-2024-08-06", 5)]
    [InlineData("gpt-4o-mini", 0.15)]
    [InlineData("claude-3-haiku", 0.8)]
    public void TryGetPrice_ExactThenMostSpecificGlob_Wins(string model, double input)
    {
        Assert.True(Table.TryGetPrice(model, out var price));
        Assert.Equal((decimal)input, price.InputPerMillion);
    }

    [Fact]
    public void TryGetPrice_NoMatch_ReturnsFalseAndCostZero()
    {
        Assert.False(Table.TryGetPrice("llama-3", out _));
        Assert.Equal(0m, Table.Cost("llama-3", new TokenUsage(1000, 1000)));
    }

    [Fact]
    public void TryGetPrice_StarEntry_IsTheDefault()
    {
        var table = new PriceTable(Options.Create(new PricingOptions
        {
            Models = new() { ["*"] = new ModelPrice { InputPerMillion = 1m, OutputPerMillion = 2m }, ["m"] = new ModelPrice { InputPerMillion = 9m } },
        }));

        Assert.Equal(1m, table.Cost("anything", new TokenUsage(1_000_000, 0)));
        Assert.Equal(3m, table.Cost("anything", new TokenUsage(1_000_000, 1_000_000)));
        Assert.Equal(9m, table.Cost("m", new TokenUsage(1_000_000, 0)));
    }

    [Fact]
    public void Cost_NoCachedPrice_ChargesCachedTokensAtInputPrice()
    {
        var cost = Table.Cost("claude-3-haiku", new TokenUsage(1_000_000, 0, CachedPromptTokens: 500_000));

        Assert.Equal(0.8m, cost);
    }

    [Theory]
    [InlineData("a*c", "abbbc", true)]
    [InlineData("a*c", "abbbd", false)]
    [InlineData("*", "", true)]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "ac", false)]
    [InlineData("*mini*", "gpt-4o-mini-tts", true)]
    public void GlobMatches_Patterns_MatchAsShellGlobs(string pattern, string text, bool expected)
    {
        Assert.Equal(expected, PriceTable.GlobMatches(pattern, text));
    }

    [Fact]
    public void ToNanoUsd_SumOfCosts_EqualsCostOfSum()
    {
        var total = 0L;
        for (var i = 1; i <= 100; i++)
        {
            total += Table.CostNanoUsd("gpt-4o", new TokenUsage(i, 2 * i));
        }

        Assert.Equal(Table.CostNanoUsd("gpt-4o", new TokenUsage(5050, 10100)), total);
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using Charter.Eval.Running;
using Charter.Eval.Statistics;

namespace Charter.Tests.Eval;

public sealed class StatisticsTests
{
    [Theory]
    [InlineData(8, 10, 0.49016247153664183, 0.9433178485456247)]
    [InlineData(0, 10, 0.0, 0.2775327998628892)]
    [InlineData(10, 10, 0.7224672001371107, 1.0)]
    [InlineData(255, 300, 0.805182388854671, 0.8859675312881468)]
    [InlineData(50, 100, 0.4038315303659956, 0.5961684696340044)]
    public void Wilson_KnownValues(int k, int n, double lower, double upper)
    {
        var ci = WilsonInterval.Compute(k, n);
        Assert.Equal(lower, ci.Lower, 9);
        Assert.Equal(upper, ci.Upper, 9);
    }

    [Fact]
    public void Wilson_NoSamples_IsWholeRange()
    {
        Assert.Equal(new ConfidenceInterval(0, 1), WilsonInterval.Compute(0, 0));
    }

    [Theory]
    [InlineData(1, 6, 0.125)]
    [InlineData(10, 25, 0.01667384780012071)]
    [InlineData(0, 0, 1.0)]
    [InlineData(5, 5, 1.0)]
    [InlineData(40, 70, 0.005447429511444482)]
    [InlineData(3, 0, 0.25)]
    public void McNemarExact_KnownValues(int b, int c, double p)
    {
        Assert.Equal(p, McNemarTest.ExactPValue(b, c), 10);
        Assert.Equal(p, McNemarTest.ExactPValue(c, b), 10);
    }

    [Fact]
    public void McNemarExact_LargeN_DoesNotUnderflow()
    {
        var p = McNemarTest.ExactPValue(2000, 2200);
        Assert.InRange(p, 0.001, 0.01);
        Assert.Equal(0, McNemarTest.ExactPValue(0, 3000), 12);
    }

    [Theory]
    [InlineData(10, 25, 0.017960477526078766)]
    [InlineData(40, 70, 0.0056915552846873)]
    [InlineData(1, 6, 0.13057001811573618)]
    public void McNemarChiSquare_ContinuityCorrected_KnownValues(int b, int c, double p)
    {
        Assert.Equal(p, McNemarTest.ChiSquarePValue(b, c), 6);
    }

    [Fact]
    public void Percentile_Type7()
    {
        double[] sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        Assert.Equal(5.5, Percentile.OfSorted(sorted, 50), 10);
        Assert.Equal(9.55, Percentile.OfSorted(sorted, 95), 10);
        Assert.Equal(1, Percentile.OfSorted(sorted, 0), 10);
        Assert.True(double.IsNaN(Percentile.OfSorted([], 50)));
    }

    [Fact]
    public void Compute_PairsAndCosts()
    {
        var results = new List<CaseResult>();
        for (var i = 0; i < 20; i++)
        {
            results.Add(new CaseResult { CaseIndex = i, CaseId = "c" + i, Model = "a", Passed = i < 18, LatencyMs = 10 + i, Cost = 0.01, PromptTokens = 10, CompletionTokens = 2 });
            results.Add(new CaseResult { CaseIndex = i, CaseId = "c" + i, Model = "b", Passed = i < 10, LatencyMs = 20 + i, PromptTokens = 10, CompletionTokens = 2 });
        }

        var stats = StatisticsCalculator.Compute(["b", "a"], results);
        Assert.Equal("a", stats.Models[0].Model);
        Assert.Equal(0.9, stats.Models[0].Accuracy, 10);
        Assert.Equal(0.2, stats.Models[0].TotalCost!.Value, 10);
        Assert.Equal(0.2 / 18, stats.Models[0].CostPerCorrect!.Value, 10);
        Assert.Null(stats.Models[1].TotalCost);
        Assert.Equal(12, stats.Models[0].TokensPerCase, 10);
        var pair = Assert.Single(stats.Pairs);
        Assert.Equal(8, pair.Discordant);
        Assert.Equal(McNemarTest.ExactPValue(0, 8), pair.ExactPValue, 12);
        Assert.True(pair.Significant);
    }

    [Fact]
    public void Compute_Repeats_AveragePerCaseAndSpread()
    {
        var results = new List<CaseResult>();
        for (var r = 0; r < 3; r++)
        {
            for (var i = 0; i < 10; i++)
            {
                results.Add(new CaseResult { CaseIndex = i, CaseId = "c" + i, Model = "m", RepeatIndex = r, Passed = i < 5 + r });
            }
        }

        var m = Assert.Single(StatisticsCalculator.Compute(["m"], results).Models);
        Assert.Equal(10, m.Cases);
        Assert.Equal(30, m.Samples);
        Assert.Equal(0.6, m.Accuracy, 10);
        Assert.Equal([0.5, 0.6, 0.7], m.RepeatAccuracies);
        Assert.Equal(0.1, m.RepeatStdDev, 10);
    }
}

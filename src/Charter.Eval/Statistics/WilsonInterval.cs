// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Eval.Statistics;

/// <summary>Wilson score interval for a binomial proportion.</summary>
/// <remarks>Unlike the normal (Wald) interval it stays inside [0, 1] and keeps close to its nominal coverage for
/// small n and proportions near 0 or 1 (Wilson 1927; Brown, Cai and DasGupta 2001).
/// <c>centre = (p + z²/2n) / (1 + z²/n)</c>, <c>half = z·sqrt(p(1−p)/n + z²/4n²) / (1 + z²/n)</c>.</remarks>
public static class WilsonInterval
{
    /// <summary>z for a two-sided 95% interval.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>The interval for <paramref name="successes"/> out of <paramref name="n"/> (successes may be fractional when averaged over repeats).</summary>
    public static ConfidenceInterval Compute(double successes, int n, double z = Z95)
    {
        if (n <= 0)
        {
            return new ConfidenceInterval(0, 1);
        }

        var p = Math.Clamp(successes / n, 0, 1);
        var z2 = z * z;
        var denominator = 1 + (z2 / n);
        var centre = (p + (z2 / (2 * n))) / denominator;
        var half = z * Math.Sqrt((p * (1 - p) / n) + (z2 / (4.0 * n * n))) / denominator;
        return new ConfidenceInterval(Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}

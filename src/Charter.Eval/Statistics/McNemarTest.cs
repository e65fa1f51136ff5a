// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Eval.Statistics;

/// <summary>McNemar's test for paired binary outcomes: do two models differ on the same cases?</summary>
/// <remarks>Only discordant cases carry information: b = cases only model A got right, c = cases only model B
/// got right. Under the null hypothesis each discordant case is a fair coin, so the exact test is a two-sided
/// binomial test of min(b, c) with n = b + c and p = 1/2: <c>p = min(1, 2·P[X ≤ min(b,c)])</c>. The chi-square
/// version with Edwards' continuity correction, <c>(|b − c| − 1)² / (b + c)</c> on 1 degree of freedom, is the
/// large-sample approximation.</remarks>
public static class McNemarTest
{
    /// <summary>Exact two-sided p-value (binomial), computed in log space so that large n does not underflow.</summary>
    public static double ExactPValue(int b, int c)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(b);
        ArgumentOutOfRangeException.ThrowIfNegative(c);
        var n = b + c;
        if (n == 0)
        {
            return 1;
        }

        var k = Math.Min(b, c);
        var log2 = Math.Log(2);
        var logTerm = -n * log2; // log C(n,0) + n log(1/2)
        var max = logTerm;
        var terms = new double[k + 1];
        terms[0] = logTerm;
        for (var i = 1; i <= k; i++)
        {
            logTerm += Math.Log(n - i + 1) - Math.Log(i);
            terms[i] = logTerm;
            max = Math.Max(max, logTerm);
        }

        var sum = 0.0;
        foreach (var t in terms)
        {
            sum += Math.Exp(t - max);
        }

        var logCdf = max + Math.Log(sum);
        return Math.Min(1, 2 * Math.Exp(logCdf));
    }

    /// <summary>Chi-square statistic with continuity correction.</summary>
    public static double ChiSquare(int b, int c)
    {
        var n = b + c;
        if (n == 0)
        {
            return 0;
        }

        var d = Math.Max(0, Math.Abs(b - c) - 1.0);
        return d * d / n;
    }

    /// <summary>p-value of the continuity-corrected chi-square statistic (1 degree of freedom).</summary>
    public static double ChiSquarePValue(int b, int c)
        => b + c == 0 ? 1 : SpecialFunctions.Erfc(Math.Sqrt(ChiSquare(b, c) / 2));
}

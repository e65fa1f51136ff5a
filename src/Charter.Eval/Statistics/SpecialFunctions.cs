// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Eval.Statistics;

/// <summary>Special functions the statistics need (the BCL has no erfc).</summary>
internal static class SpecialFunctions
{
    /// <summary>Complementary error function, fractional error below 1.2e-7 everywhere
    /// (Chebyshev fit, Numerical Recipes 3rd ed. §6.2, <c>erfccheb</c>-style rational approximation).</summary>
    public static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 2.0 / (2.0 + z);
        var poly = -0.82215223 + (t * 0.17087277);
        poly = 1.48851587 + (t * poly);
        poly = -1.13520398 + (t * poly);
        poly = 0.27886807 + (t * poly);
        poly = -0.18628806 + (t * poly);
        poly = 0.09678418 + (t * poly);
        poly = 0.37409196 + (t * poly);
        poly = 1.00002368 + (t * poly);
        var ans = t * Math.Exp((-z * z) - 1.26551223 + (t * poly));
        return x >= 0 ? ans : 2.0 - ans;
    }
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Eval.Statistics;

/// <summary>Percentiles by linear interpolation between closest ranks (Hyndman and Fan type 7, as NumPy and Excel).</summary>
public static class Percentile
{
    /// <summary>The <paramref name="p"/>-th percentile (0..100) of an ascending-sorted sample; NaN when empty.</summary>
    public static double OfSorted(IReadOnlyList<double> sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var h = (sorted.Count - 1) * Math.Clamp(p, 0, 100) / 100.0;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + ((h - lo) * (sorted[hi] - sorted[lo]));
    }
}

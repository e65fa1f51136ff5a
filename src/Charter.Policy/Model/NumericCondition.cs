// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy.Model;

/// <summary>A comparison on a numeric request parameter (`{gt: 8}`, `{gte: 1, lte: 4}`, or a bare number for equality).</summary>
internal readonly record struct NumericCondition(double Min, bool MinInclusive, double Max, bool MaxInclusive)
{
    /// <summary>True when the value lies within the bounds.</summary>
    public bool Matches(double value)
    {
        if (double.IsNaN(value))
        {
            return false;
        }

        var aboveMin = MinInclusive ? value >= Min : value > Min;
        var belowMax = MaxInclusive ? value <= Max : value < Max;
        return aboveMin && belowMax;
    }

    /// <summary>A readable form, e.g. `> 8`.</summary>
    public override string ToString()
    {
        if (Min == Max && MinInclusive && MaxInclusive)
        {
            return $"== {Min}";
        }

        var parts = new List<string>(2);
        if (!double.IsNegativeInfinity(Min))
        {
            parts.Add((MinInclusive ? ">= " : "> ") + Min.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (!double.IsPositiveInfinity(Max))
        {
            parts.Add((MaxInclusive ? "<= " : "< ") + Max.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return string.Join(" and ", parts);
    }
}

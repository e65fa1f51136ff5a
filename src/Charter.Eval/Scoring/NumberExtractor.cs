// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;
using System.Text.RegularExpressions;

namespace Charter.Eval.Scoring;

/// <summary>Extracts the number a model gave as its answer.</summary>
/// <remarks>After an answer marker ("answer is", "answer:", "####", "=", "\boxed{") the first number that
/// follows the last marker is taken; otherwise the last number in the text. Thousands separators
/// ("1,234"), signs, decimals, exponents, simple fractions ("3/4") and percentages (as written) are understood.</remarks>
public static partial class NumberExtractor
{
    public static double? Extract(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var start = 0;
        foreach (Match marker in MarkerRegex().Matches(text))
        {
            start = marker.Index + marker.Length;
        }

        var fromMarker = start > 0 ? First(text, start) : null;
        return fromMarker ?? Last(text);
    }

    private static double? First(string text, int start)
    {
        var m = NumberRegex().Match(text, start);
        return m.Success ? Parse(m) : null;
    }

    private static double? Last(string text)
    {
        double? last = null;
        foreach (Match m in NumberRegex().Matches(text))
        {
            last = Parse(m) ?? last;
        }

        return last;
    }

    private static double? Parse(Match m)
    {
        var whole = m.Groups["num"].Value.Replace(",", string.Empty, StringComparison.Ordinal).Replace('−', '-');
        if (!double.TryParse(whole, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return null;
        }

        if (m.Groups["den"].Success && double.TryParse(m.Groups["den"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var den) && den != 0)
        {
            value /= den;
        }

        return value;
    }

    [GeneratedRegex(@"(?i:answer\s*(?:is|:|=)|####|\boxed\{|=)")]
    private static partial Regex MarkerRegex();

    [GeneratedRegex(@"(?<![\w.])(?<num>[-+−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?|[-+]?\.\d+)(?:\s*/\s*(?<den>\d+(?:\.\d+)?))?")]
    private static partial Regex NumberRegex();
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;

namespace Charter.Eval.Reporting;

/// <summary>Number formatting shared by the console tables and the HTML report (invariant culture).</summary>
internal static class Fmt
{
    public static string Pct(double v) => double.IsNaN(v) ? "—" : (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    public static string Ms(double v) => double.IsNaN(v) ? "—" : v == 0 ? "0" : v < 10 ? v.ToString("0.0", CultureInfo.InvariantCulture) : v.ToString("0", CultureInfo.InvariantCulture);

    public static string Num(double v, string format = "0.##") => double.IsNaN(v) ? "—" : v.ToString(format, CultureInfo.InvariantCulture);

    public static string Cost(double? v) => v switch
    {
        null => "—",
        0 => "$0",
        < 0.01 => "$" + v.Value.ToString("0." + new string('0', Math.Clamp(2 - (int)Math.Floor(Math.Log10(v.Value)), 3, 12)), CultureInfo.InvariantCulture),
        < 10 => "$" + v.Value.ToString("0.0000", CultureInfo.InvariantCulture),
        _ => "$" + v.Value.ToString("0.00", CultureInfo.InvariantCulture),
    };

    public static string P(double p) => p < 0.0001 ? "<0.0001" : p.ToString(p < 0.01 ? "0.0000" : "0.000", CultureInfo.InvariantCulture);

    public static string Int(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
}

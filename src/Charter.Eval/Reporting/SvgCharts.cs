// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;
using System.Net;
using System.Text;
using Charter.Eval.Statistics;

namespace Charter.Eval.Reporting;

/// <summary>Inline SVG charts for the HTML report (no script, no network).</summary>
internal static class SvgCharts
{
    public static readonly string[] Palette = ["#4f46e5", "#0891b2", "#d97706", "#db2777", "#16a34a", "#7c3aed", "#dc2626", "#0d9488", "#65a30d", "#9333ea"];

    private const int Width = 640;
    private const int Left = 150;
    private const int Right = 24;

    public static string Colour(int i) => Palette[i % Palette.Length];

    /// <summary>Horizontal bars of accuracy with 95% Wilson error bars.</summary>
    public static string AccuracyBars(IReadOnlyList<ModelStatistics> models, Func<string, int> colourIndex)
    {
        const int row = 36;
        const int top = 12;
        var height = top + (models.Count * row) + 36;
        var plot = Width - Left - Right;
        var sb = Open(height, "Accuracy with 95% confidence intervals");
        Grid(sb, 0, 1, 5, v => Left + (v * plot), top, top + (models.Count * row), v => Fmt.Pct(v).Replace(".0%", "%", StringComparison.Ordinal));
        for (var i = 0; i < models.Count; i++)
        {
            var m = models[i];
            var y = top + (i * row);
            var colour = Colour(colourIndex(m.Model));
            Label(sb, Left - 10, y + (row / 2) + 4, m.Model, "end");
            sb.Append(F($"<rect x=\"{Left}\" y=\"{y + 8}\" width=\"{m.Accuracy * plot:0.#}\" height=\"{row - 16}\" rx=\"4\" fill=\"{colour}\" opacity=\"0.85\"><title>{E(m.Model)}: {Fmt.Pct(m.Accuracy)} (95% CI {Fmt.Pct(m.Interval.Lower)}–{Fmt.Pct(m.Interval.Upper)})</title></rect>"));
            var x1 = Left + (m.Interval.Lower * plot);
            var x2 = Left + (m.Interval.Upper * plot);
            var cy = y + (row / 2);
            sb.Append(F($"<line x1=\"{x1:0.#}\" x2=\"{x2:0.#}\" y1=\"{cy}\" y2=\"{cy}\" class=\"whisker\"/>"));
            sb.Append(F($"<line x1=\"{x1:0.#}\" x2=\"{x1:0.#}\" y1=\"{cy - 7}\" y2=\"{cy + 7}\" class=\"whisker\"/><line x1=\"{x2:0.#}\" x2=\"{x2:0.#}\" y1=\"{cy - 7}\" y2=\"{cy + 7}\" class=\"whisker\"/>"));
            var tx = Math.Min(x2 + 8, Width - Right - 40);
            sb.Append(F($"<text x=\"{tx:0.#}\" y=\"{cy + 4}\" class=\"value\">{Fmt.Pct(m.Accuracy)}</text>"));
        }

        return Close(sb);
    }

    /// <summary>Cost per case (x) against accuracy (y), with the accuracy interval as a vertical bar; tokens per case when no cost is known.</summary>
    public static string CostScatter(IReadOnlyList<ModelStatistics> models, Func<string, int> colourIndex)
    {
        const int height = 320;
        const int top = 16;
        const int bottom = 48;
        const int left = 64;
        var hasCost = models.Any(m => m.CostPerCase is not null);
        double X(ModelStatistics m) => hasCost ? m.CostPerCase ?? 0 : m.TokensPerCase;
        var xMax = models.Count == 0 ? 1 : models.Max(X);
        xMax = xMax <= 0 ? 1 : xMax * 1.15;
        var yMin = Math.Max(0, Math.Floor((models.Count == 0 ? 0 : models.Min(m => m.Interval.Lower) - 0.05) * 10) / 10);
        var yMax = Math.Min(1, Math.Ceiling((models.Count == 0 ? 1 : models.Max(m => m.Interval.Upper) + 0.05) * 10) / 10);
        if (yMax - yMin < 0.1)
        {
            yMax = Math.Min(1, yMin + 0.1);
        }

        var plotW = Width - left - Right;
        var plotH = height - top - bottom;
        double Px(double v) => left + (v / xMax * plotW);
        double Py(double v) => top + plotH - ((v - yMin) / (yMax - yMin) * plotH);
        var sb = Open(height, "Cost against accuracy");
        foreach (var t in Ticks(yMin, yMax, 5))
        {
            sb.Append(F($"<line x1=\"{left}\" x2=\"{Width - Right}\" y1=\"{Py(t):0.#}\" y2=\"{Py(t):0.#}\" class=\"grid\"/><text x=\"{left - 8}\" y=\"{Py(t) + 4:0.#}\" class=\"tick\" text-anchor=\"end\">{Fmt.Pct(t).Replace(".0%", "%", StringComparison.Ordinal)}</text>"));
        }

        foreach (var t in Ticks(0, xMax, 5))
        {
            var label = hasCost ? Fmt.Cost(t) : Fmt.Num(t, "0");
            sb.Append(F($"<line x1=\"{Px(t):0.#}\" x2=\"{Px(t):0.#}\" y1=\"{top}\" y2=\"{top + plotH}\" class=\"grid\"/><text x=\"{Px(t):0.#}\" y=\"{top + plotH + 18}\" class=\"tick\" text-anchor=\"middle\">{E(label)}</text>"));
        }

        sb.Append(F($"<text x=\"{left + (plotW / 2)}\" y=\"{height - 8}\" class=\"axis\" text-anchor=\"middle\">{(hasCost ? "cost per case" : "tokens per case (no cost reported)")} →</text>"));
        sb.Append(F($"<text x=\"14\" y=\"{top + (plotH / 2)}\" class=\"axis\" text-anchor=\"middle\" transform=\"rotate(-90 14 {top + (plotH / 2)})\">accuracy ↑</text>"));
        sb.Append(F($"<text x=\"{left + 8}\" y=\"{top + 14}\" class=\"hint\">better: up and to the left</text>"));
        foreach (var m in models)
        {
            var colour = Colour(colourIndex(m.Model));
            var x = Px(X(m));
            sb.Append(F($"<line x1=\"{x:0.#}\" x2=\"{x:0.#}\" y1=\"{Py(m.Interval.Lower):0.#}\" y2=\"{Py(m.Interval.Upper):0.#}\" stroke=\"{colour}\" stroke-width=\"2\" opacity=\"0.6\"/>"));
            sb.Append(F($"<circle cx=\"{x:0.#}\" cy=\"{Py(m.Accuracy):0.#}\" r=\"7\" fill=\"{colour}\" stroke=\"#fff\" stroke-width=\"2\"><title>{E(m.Model)}: {Fmt.Pct(m.Accuracy)}, {(hasCost ? Fmt.Cost(m.CostPerCase) + " per case" : Fmt.Num(m.TokensPerCase, "0") + " tokens per case")}</title></circle>"));
            var anchor = x > left + (plotW * 0.75) ? "end" : "start";
            var dx = anchor == "end" ? -11 : 11;
            sb.Append(F($"<text x=\"{x + dx:0.#}\" y=\"{Py(m.Accuracy) - 8:0.#}\" class=\"point\" text-anchor=\"{anchor}\">{E(m.Model)}</text>"));
        }

        return Close(sb);
    }

    /// <summary>Latency box plots: box q1–q3, line at the median, whiskers p5–p95, dot at the mean.</summary>
    public static string LatencyBoxes(IReadOnlyList<ModelStatistics> models, Func<string, int> colourIndex)
    {
        const int row = 40;
        const int top = 12;
        var height = top + (models.Count * row) + 40;
        var plot = Width - Left - Right;
        var max = 1.0;
        foreach (var m in models)
        {
            max = Math.Max(max, LatencyScale(m));
        }

        max = Ticks(0, max, 5)[^1];
        double Px(double v) => Left + (Math.Min(v, max) / max * plot);
        var sb = Open(height, "Latency distribution");
        Grid(sb, 0, max, 5, Px, top, top + (models.Count * row), v => Fmt.Ms(v));
        sb.Append(F($"<text x=\"{Left + (plot / 2)}\" y=\"{height - 6}\" class=\"axis\" text-anchor=\"middle\">latency (ms)</text>"));
        for (var i = 0; i < models.Count; i++)
        {
            var m = models[i];
            var y = top + (i * row);
            var cy = y + (row / 2);
            var colour = Colour(colourIndex(m.Model));
            Label(sb, Left - 10, cy + 4, m.Model, "end");
            if (m.Latencies.Count == 0)
            {
                continue;
            }

            var l = m.Latencies;
            double P(double p) => Px(Percentile.OfSorted(l, p));
            sb.Append(F($"<line x1=\"{P(5):0.#}\" x2=\"{P(95):0.#}\" y1=\"{cy}\" y2=\"{cy}\" stroke=\"{colour}\" stroke-width=\"1.5\"/>"));
            sb.Append(F($"<line x1=\"{P(5):0.#}\" x2=\"{P(5):0.#}\" y1=\"{cy - 6}\" y2=\"{cy + 6}\" stroke=\"{colour}\" stroke-width=\"1.5\"/><line x1=\"{P(95):0.#}\" x2=\"{P(95):0.#}\" y1=\"{cy - 6}\" y2=\"{cy + 6}\" stroke=\"{colour}\" stroke-width=\"1.5\"/>"));
            sb.Append(F($"<rect x=\"{P(25):0.#}\" y=\"{cy - 11}\" width=\"{Math.Max(1, P(75) - P(25)):0.#}\" height=\"22\" rx=\"3\" fill=\"{colour}\" fill-opacity=\"0.25\" stroke=\"{colour}\" stroke-width=\"1.5\"><title>{E(m.Model)}: p5 {Fmt.Ms(Percentile.OfSorted(l, 5))} · q1 {Fmt.Ms(Percentile.OfSorted(l, 25))} · median {Fmt.Ms(m.LatencyP50)} · q3 {Fmt.Ms(Percentile.OfSorted(l, 75))} · p95 {Fmt.Ms(m.LatencyP95)} ms</title></rect>"));
            sb.Append(F($"<line x1=\"{P(50):0.#}\" x2=\"{P(50):0.#}\" y1=\"{cy - 11}\" y2=\"{cy + 11}\" stroke=\"{colour}\" stroke-width=\"3\"/>"));
            sb.Append(F($"<circle cx=\"{Px(m.LatencyMean):0.#}\" cy=\"{cy}\" r=\"3\" fill=\"#fff\" stroke=\"{colour}\" stroke-width=\"1.5\"/>"));
        }

        return Close(sb);
    }

    /// <summary>Overlaid latency histograms (one translucent area per model).</summary>
    public static string LatencyHistogram(IReadOnlyList<ModelStatistics> models, Func<string, int> colourIndex)
    {
        const int height = 240;
        const int top = 12;
        const int bottom = 40;
        const int left = 56;
        const int bins = 32;
        var max = 1.0;
        foreach (var m in models)
        {
            max = Math.Max(max, LatencyScale(m));
        }

        max = Ticks(0, max, 5)[^1];
        var counts = new List<double[]>();
        var peak = 0.0;
        foreach (var m in models)
        {
            var c = new double[bins];
            foreach (var v in m.Latencies)
            {
                c[Math.Clamp((int)(v / max * bins), 0, bins - 1)]++;
            }

            for (var b = 0; b < bins; b++)
            {
                c[b] = m.Latencies.Count == 0 ? 0 : c[b] / m.Latencies.Count;
                peak = Math.Max(peak, c[b]);
            }

            counts.Add(c);
        }

        peak = peak <= 0 ? 1 : peak * 1.1;
        var plotW = Width - left - Right;
        var plotH = height - top - bottom;
        var sb = Open(height, "Latency histogram");
        foreach (var t in Ticks(0, max, 5))
        {
            var x = left + (t / max * plotW);
            sb.Append(F($"<line x1=\"{x:0.#}\" x2=\"{x:0.#}\" y1=\"{top}\" y2=\"{top + plotH}\" class=\"grid\"/><text x=\"{x:0.#}\" y=\"{top + plotH + 16}\" class=\"tick\" text-anchor=\"middle\">{Fmt.Ms(t)}</text>"));
        }

        sb.Append(F($"<text x=\"{left + (plotW / 2)}\" y=\"{height - 6}\" class=\"axis\" text-anchor=\"middle\">latency (ms) · share of requests per bin</text>"));
        for (var i = 0; i < models.Count; i++)
        {
            var colour = Colour(colourIndex(models[i].Model));
            var path = new StringBuilder();
            path.Append(F($"M{left},{top + plotH}"));
            for (var b = 0; b < bins; b++)
            {
                var x0 = left + ((double)b / bins * plotW);
                var x1 = left + ((double)(b + 1) / bins * plotW);
                var y = top + plotH - (counts[i][b] / peak * plotH);
                path.Append(F($" L{x0:0.#},{y:0.#} L{x1:0.#},{y:0.#}"));
            }

            path.Append(F($" L{left + plotW},{top + plotH} Z"));
            sb.Append(F($"<path d=\"{path}\" fill=\"{colour}\" fill-opacity=\"0.18\" stroke=\"{colour}\" stroke-width=\"1.5\"><title>{E(models[i].Model)}</title></path>"));
        }

        sb.Append(F($"<line x1=\"{left}\" x2=\"{left + plotW}\" y1=\"{top + plotH}\" y2=\"{top + plotH}\" class=\"baseline\"/>"));
        return Close(sb);
    }

    /// <summary>Axis end for a model's latencies: p95 × 1.4 (capped by the maximum), so that one slow outlier
    /// does not squash the boxes; values beyond are drawn at the edge.</summary>
    private static double LatencyScale(ModelStatistics m)
        => m.Latencies.Count == 0 ? 1 : Math.Min(m.Latencies[^1], m.LatencyP95 * 1.4);

    /// <summary>"Nice" tick values from min to max (1, 2, 2.5, 5 × 10^k steps), always including the end tick.</summary>
    public static double[] Ticks(double min, double max, int count)
    {
        if (max <= min)
        {
            return [min, min + 1];
        }

        var raw = (max - min) / count;
        var mag = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = mag * ((raw / mag) switch { <= 1 => 1, <= 2 => 2, <= 2.5 => 2.5, <= 5 => 5, _ => 10 });
        var start = Math.Floor(min / step) * step;
        var list = new List<double>();
        for (var v = start; v < max + (step * 0.999); v += step)
        {
            list.Add(Math.Round(v, 10));
        }

        return [.. list];
    }

    private static void Grid(StringBuilder sb, double min, double max, int count, Func<double, double> px, int y1, int y2, Func<double, string> label)
    {
        foreach (var t in Ticks(min, max, count))
        {
            if (t > max + 1e-9)
            {
                continue;
            }

            var x = px(t);
            sb.Append(F($"<line x1=\"{x:0.#}\" x2=\"{x:0.#}\" y1=\"{y1}\" y2=\"{y2}\" class=\"grid\"/><text x=\"{x:0.#}\" y=\"{y2 + 16}\" class=\"tick\" text-anchor=\"middle\">{E(label(t))}</text>"));
        }
    }

    private static void Label(StringBuilder sb, double x, double y, string text, string anchor)
    {
        var clipped = text.Length > 22 ? text[..21] + "…" : text;
        sb.Append(F($"<text x=\"{x:0.#}\" y=\"{y:0.#}\" class=\"label\" text-anchor=\"{anchor}\">{E(clipped)}</text>"));
    }

    private static StringBuilder Open(int height, string title)
    {
        var sb = new StringBuilder(4096);
        sb.Append(F($"<svg viewBox=\"0 0 {Width} {height}\" role=\"img\" aria-label=\"{E(title)}\" xmlns=\"http://www.w3.org/2000/svg\">"));
        return sb;
    }

    private static string Close(StringBuilder sb) => sb.Append("</svg>").ToString();

    private static string E(string s) => WebUtility.HtmlEncode(s);

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;
using System.Net;
using System.Text;

namespace Charter.Audit.Export;

/// <summary>Renders summary.html: a self-contained page (inline CSS and SVG, no scripts, no external resources).</summary>
internal static class SummaryHtml
{
    public static string Render(AuditSummary s, BundleManifest m)
    {
        var sb = new StringBuilder(16 * 1024);
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Charter audit evidence: ")
          .Append(E(m.Origin)).Append("</title>\n<style>")
          .Append("body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1100px}")
          .Append("table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left;font-size:.9em}")
          .Append("th{background:#f3f3f3}code{font-size:.85em}.n{text-align:right}.grid{display:flex;gap:2em;flex-wrap:wrap}")
          .Append("</style></head><body>\n");
        sb.Append("<h1>Audit evidence bundle</h1>\n<p>Log <code>").Append(E(m.Origin)).Append("</code>, signed checkpoint at tree size <b>")
          .Append(m.CheckpointSize).Append("</b>, root <code>").Append(E(m.CheckpointRoot)).Append("</code>. Bundle created ")
          .Append(E(AuditEventSerializer.FormatTime(m.CreatedAt))).Append(". ")
          .Append(s.Entries).Append(" entries, ").Append(s.Requests).Append(" requests.</p>\n");
        sb.Append("<p>Filter: ").Append(E(FilterText(m.Filter))).Append(". Every entry carries an inclusion proof against the signed checkpoint; ")
          .Append("run <code>charter audit verify-bundle</code> or follow docs/audit-format.md to check it.</p>\n");

        sb.Append("<h2>Request volume</h2>\n");
        Chart(sb, s);
        sb.Append("<div class=\"grid\">");
        Table(sb, "By purpose", s.ByPurpose);
        Table(sb, "By provider", s.ByProvider);
        Table(sb, "By decision", s.ByDecision);
        Table(sb, "By team", s.ByTeam);
        Table(sb, "Denials by rule", s.DenialsByRule);
        sb.Append("</div>\n");

        sb.Append("<h2>Denied requests</h2>\n<table><tr><th>#</th><th>Time</th><th>Key</th><th>Team</th><th>Purpose</th><th>Provider</th><th>Model</th><th>Rule</th><th>Code</th></tr>\n");
        foreach (var d in s.Denials)
        {
            Row(sb, d.Index.ToString(CultureInfo.InvariantCulture), d.Ts, d.Key, d.Team, d.Purpose, d.Provider, d.Model, d.Rule, d.Code);
        }

        sb.Append("</table>\n<h2>Lifecycle events</h2>\n<table><tr><th>#</th><th>Time</th><th>Entity</th><th>From</th><th>To</th><th>Event</th><th>Actor</th><th>Reason</th><th>Measures</th><th>Deadline</th></tr>\n");
        foreach (var t in s.Lifecycle)
        {
            Row(sb, t.Index.ToString(CultureInfo.InvariantCulture), t.Ts, $"{t.EntityType} {t.EntityId}", t.FromState, t.ToState, t.Event, t.Actor, t.Reason,
                t.Measures is null ? null : string.Join("; ", t.Measures), t.Deadline);
        }

        sb.Append("</table>\n<h2>Policy loads</h2>\n<table><tr><th>#</th><th>Time</th><th>Policy version</th><th>Actor</th><th>Detail</th></tr>\n");
        foreach (var p in s.PolicyLoads)
        {
            Row(sb, p.Index.ToString(CultureInfo.InvariantCulture), p.Ts, p.PolicyVersion, p.Actor, p.Detail);
        }

        sb.Append("</table>\n</body></html>\n");
        return sb.ToString();
    }

    private static void Chart(StringBuilder sb, AuditSummary s)
    {
        const int Width = 900;
        const int Height = 220;
        const int Pad = 40;
        if (s.Volume.Count == 0)
        {
            sb.Append("<p>No requests.</p>\n");
            return;
        }

        long peak = 1;
        foreach (var v in s.Volume)
        {
            peak = Math.Max(peak, v.Allow + v.Flag + v.Deny + v.Other);
        }

        var barWidth = (double)(Width - Pad) / s.Volume.Count;
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height + 30}\" role=\"img\" aria-label=\"Requests per {s.BucketSize}\">");
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Pad}\" y1=\"{Height}\" x2=\"{Width}\" y2=\"{Height}\" stroke=\"#888\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"12\" font-size=\"11\">{peak}</text><text x=\"0\" y=\"{Height}\" font-size=\"11\">0</text>");
        for (var i = 0; i < s.Volume.Count; i++)
        {
            var v = s.Volume[i];
            var x = Pad + (i * barWidth);
            var y = (double)Height;
            foreach (var (count, colour) in new[] { (v.Allow, "#4c9a2a"), (v.Flag, "#e0a800"), (v.Deny, "#c0392b"), (v.Other, "#888") })
            {
                if (count == 0)
                {
                    continue;
                }

                var h = (Height - 10) * (double)count / peak;
                y -= h;
                sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.##}\" y=\"{y:0.##}\" width=\"{Math.Max(barWidth - 1, 1):0.##}\" height=\"{h:0.##}\" fill=\"{colour}\"><title>{E(v.Start)}: {count}</title></rect>");
            }
        }

        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Pad}\" y=\"{Height + 20}\" font-size=\"11\">{E(s.Volume[0].Start)}</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width}\" y=\"{Height + 20}\" font-size=\"11\" text-anchor=\"end\">{E(s.Volume[^1].Start)}</text>");
        sb.Append("</svg>\n<p>Requests per ").Append(E(s.BucketSize))
          .Append(": <span style=\"color:#4c9a2a\">allow</span>, <span style=\"color:#e0a800\">flag</span>, <span style=\"color:#c0392b\">deny</span>.</p>\n");
    }

    private static void Table(StringBuilder sb, string title, SortedDictionary<string, long> map)
    {
        sb.Append("<div><h3>").Append(E(title)).Append("</h3><table><tr><th>Value</th><th>Count</th></tr>");
        foreach (var (k, v) in map)
        {
            sb.Append("<tr><td>").Append(E(k)).Append("</td><td class=\"n\">").Append(v).Append("</td></tr>");
        }

        sb.Append("</table></div>");
    }

    private static void Row(StringBuilder sb, params string?[] cells)
    {
        sb.Append("<tr>");
        foreach (var c in cells)
        {
            sb.Append("<td>").Append(E(c)).Append("</td>");
        }

        sb.Append("</tr>\n");
    }

    private static string FilterText(BundleFilter f)
    {
        var parts = new List<string>();
        if (f.From is not null)
        {
            parts.Add("from " + f.From);
        }

        if (f.To is not null)
        {
            parts.Add("to " + f.To);
        }

        if (f.Team is not null)
        {
            parts.Add("team " + f.Team);
        }

        if (f.Key is not null)
        {
            parts.Add("key " + f.Key);
        }

        if (f.Provider is not null)
        {
            parts.Add("provider " + f.Provider);
        }

        return parts.Count == 0 ? "all entries" : string.Join(", ", parts);
    }

    private static string E(string? s) => WebUtility.HtmlEncode(s ?? string.Empty);
}

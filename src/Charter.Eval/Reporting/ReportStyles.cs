// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Eval.Reporting;

/// <summary>The report's inline stylesheet (system fonts only; light and dark schemes).</summary>
internal static class ReportStyles
{
    public const string Css = """
        :root{--bg:#f6f7fb;--card:#fff;--ink:#111827;--muted:#6b7280;--line:#e5e7eb;--soft:#f3f4f6;--pass:#15803d;--pass-bg:#dcfce7;--fail:#b91c1c;--fail-bg:#fee2e2;--accent:#4f46e5}
        @media (prefers-color-scheme:dark){:root{--bg:#0b1020;--card:#121a2f;--ink:#e5e7eb;--muted:#94a3b8;--line:#1f2a44;--soft:#17213a;--pass:#4ade80;--pass-bg:#12321f;--fail:#f87171;--fail-bg:#3b1414;--accent:#818cf8}}
        *{box-sizing:border-box}
        body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Ubuntu,"Helvetica Neue",Arial,sans-serif}
        main{max-width:1200px;margin:0 auto;padding:28px 24px 64px}
        header.hero{display:flex;flex-wrap:wrap;align-items:flex-end;justify-content:space-between;gap:16px;margin-bottom:20px}
        h1{font-size:26px;margin:0 0 4px;letter-spacing:-.02em}
        h2{font-size:16px;margin:0 0 12px;letter-spacing:-.01em}
        .sub{color:var(--muted)}
        .chips{display:flex;flex-wrap:wrap;gap:8px}
        .chip{background:var(--card);border:1px solid var(--line);border-radius:999px;padding:4px 12px;font-size:12px;color:var(--muted)}
        .chip b{color:var(--ink);font-weight:600}
        .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:12px;margin-bottom:16px}
        .kpi{background:var(--card);border:1px solid var(--line);border-radius:14px;padding:14px 16px}
        .kpi .k{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.05em}
        .kpi .v{font-size:22px;font-weight:700;margin-top:2px}
        .kpi .d{font-size:12px;color:var(--muted)}
        section.card{background:var(--card);border:1px solid var(--line);border-radius:14px;padding:18px 20px;margin-bottom:16px;box-shadow:0 1px 2px rgba(0,0,0,.03)}
        .grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:16px}
        .grid2 section.card{margin-bottom:0}
        .row{margin-bottom:16px}
        table{width:100%;border-collapse:collapse;font-variant-numeric:tabular-nums}
        th,td{padding:8px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
        th{font-size:12px;color:var(--muted);font-weight:600;text-transform:uppercase;letter-spacing:.04em;background:var(--soft)}
        td.n,th.n{text-align:right;white-space:nowrap}
        tr:last-child td{border-bottom:none}
        .dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:8px;vertical-align:middle}
        .acc{display:flex;align-items:center;gap:10px;justify-content:flex-end}
        .bar{position:relative;width:120px;height:8px;background:var(--soft);border-radius:99px;overflow:hidden}
        .bar i{position:absolute;left:0;top:0;bottom:0;border-radius:99px}
        .bar s{position:absolute;top:0;bottom:0;background:rgba(0,0,0,.18);text-decoration:none}
        .ci{color:var(--muted);font-size:12px}
        .rank{font-weight:700;color:var(--muted)}
        .badge{display:inline-block;padding:1px 8px;border-radius:999px;font-size:12px;font-weight:600}
        .sig{background:var(--pass-bg);color:var(--pass)}
        .ns{background:var(--soft);color:var(--muted)}
        svg{width:100%;height:auto;display:block}
        svg text{font-family:inherit;fill:var(--ink)}
        svg .tick{font-size:11px;fill:var(--muted)}
        svg .label{font-size:12px;font-weight:600}
        svg .value{font-size:12px;font-weight:700}
        svg .axis{font-size:12px;fill:var(--muted)}
        svg .hint{font-size:11px;fill:var(--muted);font-style:italic}
        svg .point{font-size:12px;font-weight:600}
        svg .grid{stroke:var(--line);stroke-width:1}
        svg .baseline{stroke:var(--muted);stroke-width:1}
        svg .whisker{stroke:var(--ink);stroke-width:1.6}
        .legend{display:flex;flex-wrap:wrap;gap:14px;margin-top:8px;font-size:12px;color:var(--muted)}
        .case{border-top:1px solid var(--line);padding:14px 0}
        .case:first-of-type{border-top:none}
        .case .meta{display:flex;gap:10px;align-items:baseline;flex-wrap:wrap;margin-bottom:8px}
        .case .id{font-weight:700}
        .case details summary{cursor:pointer;color:var(--muted)}
        .prompt{white-space:pre-wrap;background:var(--soft);border-radius:8px;padding:10px 12px;font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;margin:6px 0 0;max-height:260px;overflow:auto}
        .outs{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:10px}
        .out{border-radius:10px;padding:10px 12px;border:1px solid var(--line)}
        .out.pass{background:var(--pass-bg);border-color:transparent}
        .out.fail{background:var(--fail-bg);border-color:transparent}
        .out .who{font-size:12px;font-weight:700;margin-bottom:4px;display:flex;justify-content:space-between}
        .out pre{margin:0;white-space:pre-wrap;word-break:break-word;font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;max-height:180px;overflow:auto}
        .out .det{font-size:11px;color:var(--muted);margin-top:4px}
        dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:6px 18px;margin:0}
        dl.meta dt{color:var(--muted)}
        dl.meta dd{margin:0;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
        .note{color:var(--muted);font-size:12px;margin-top:10px}
        footer{color:var(--muted);font-size:12px;text-align:center;margin-top:24px}
        """;
}

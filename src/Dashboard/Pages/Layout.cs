using System.Globalization;
using static System.Net.WebUtility;

namespace Pipeline.Dashboard.Pages;

/// <summary>The page shell every dashboard page shares: navigation, the style sheet, and a few lines of script that
/// sort any table with <c>class="sortable"</c> by the clicked column (numbers as numbers).</summary>
static class Layout
{
    public static string Page(string title, string body, int? refreshSeconds = null) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        {{(refreshSeconds is { } seconds ? $"<meta http-equiv=\"refresh\" content=\"{seconds}\">" : "")}}
        <title>{{HtmlEncode(title)}} · Pipeline</title>
        <style>{{Style}}</style>
        </head>
        <body>
        <header><a class="brand" href="/">Pipeline</a> <a href="/">runs</a> <a href="/hangfire">jobs</a> <a href="/api/runs">api</a></header>
        <main>
        {{body}}
        </main>
        <script>{{Script}}</script>
        </body>
        </html>
        """;

    public static string Time(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "Z" : "";

    public static string Duration(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{(int)span.TotalHours}h {span.Minutes:00}m" : span.TotalMinutes >= 1 ? $"{span.Minutes}m {span.Seconds:00}s" : $"{span.TotalSeconds:F1}s";

    public static string Number(double value, string format = "0.###") => value.ToString(format, CultureInfo.InvariantCulture);

    public static string Status(string status) => $"<span class=\"status {HtmlEncode(status)}\">{HtmlEncode(status)}</span>";

    const string Style = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
        header{background:#1d2330;padding:10px 24px}header a{color:#cfd6e4;margin-right:16px;text-decoration:none}
        header a.brand{color:#fff;font-weight:600}main{padding:16px 24px;max-width:1500px}
        h1{font-size:20px;margin:8px 0}h2{font-size:16px;margin:24px 0 8px}
        table{border-collapse:collapse;background:#fff;box-shadow:0 1px 2px #0001;width:100%}
        th,td{padding:6px 10px;border-bottom:1px solid #e6e8ec;text-align:left;vertical-align:top}
        th{background:#eef0f4;font-weight:600;cursor:default}table.sortable th{cursor:pointer}
        td.num{text-align:right;font-variant-numeric:tabular-nums}code,pre{font:12px/1.4 ui-monospace,Menlo,Consolas,monospace}
        pre{background:#fff;padding:10px;overflow:auto;box-shadow:0 1px 2px #0001;white-space:pre-wrap}
        .status{padding:1px 8px;border-radius:10px;font-size:12px;background:#dde}.status.completed{background:#d6f2df}
        .status.running{background:#dbe9ff}.status.failed{background:#fbdada}
        .error{background:#fbdada;border-left:4px solid #c62828;padding:8px 12px;white-space:pre-wrap}
        .charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:12px}
        figure{margin:0;background:#fff;box-shadow:0 1px 2px #0001;padding:4px}
        svg.chart{width:100%;height:auto}svg .title{font-weight:600;font-size:13px}svg .tick,svg .axis,svg .legend{font-size:11px;fill:#555}
        svg .plot{fill:#fbfcfd;stroke:#ccd}svg .grid{stroke:#e3e6ea}svg .empty{fill:#888}
        .meta td:first-child{width:180px;color:#555}.tok{white-space:pre-wrap;border-radius:2px}
        .pager a{margin-right:12px}.muted{color:#667}
        """;

    const string Script = """
        document.querySelectorAll('table.sortable th').forEach((th, i) => th.addEventListener('click', () => {
          const body = th.closest('table').tBodies[0], rows = [...body.rows], dir = th.dataset.dir === 'asc' ? -1 : 1;
          th.dataset.dir = dir === 1 ? 'asc' : 'desc';
          const key = r => { const c = r.cells[i]; const v = c.dataset.sort ?? c.textContent.trim(); const n = parseFloat(v); return isNaN(n) || !/^[-\d.]/.test(v) ? v : n; };
          rows.sort((a, b) => { const x = key(a), y = key(b); return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))) * dir; });
          rows.forEach(r => body.appendChild(r));
        }));
        """;
}

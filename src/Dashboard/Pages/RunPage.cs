using System.Text;
using System.Text.Json;
using Pipeline.Dashboard.Charts;
using Pipeline.Data.Entities;
using static System.Net.WebUtility;

namespace Pipeline.Dashboard.Pages;

/// <summary><c>/runs/{id}</c>: the run's facts and failure reason, one chart per stored metric (reloading while
/// the run trains), links to each step's completions, its policy versions with their hashes, its held-out
/// evaluations and its settings.</summary>
static class RunPage
{
    public static string Render(RunDetails details, DateTimeOffset now, int refreshSeconds)
    {
        var run = details.Run;
        var body = new StringBuilder();
        body.Append($"<h1>{HtmlEncode(run.Name)} {Layout.Status(RunsPage.StatusName(run.Status))}</h1>");
        body.Append("<table class=\"meta\"><tbody>");
        Row(body, "run id", $"<code>{run.Id}</code>");
        Row(body, "started", Layout.Time(run.CreatedAt));
        Row(body, "finished", Layout.Time(run.FinishedAt));
        Row(body, "duration", Layout.Duration((run.FinishedAt ?? now) - run.CreatedAt));
        Row(body, "seed", run.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Row(body, "base policy SHA-256", $"<code>{HtmlEncode(run.BasePolicySha256 ?? "")}</code>");
        Row(body, "code version", $"<code>{HtmlEncode(run.CodeVersion ?? "")}</code>");
        if (run.SourceRunId is { } source) Row(body, "replay of", $"<a href=\"/runs/{source}\">{source}</a>");
        Row(body, "duplicates ignored", run.DuplicatesIgnored.ToString(System.Globalization.CultureInfo.InvariantCulture));
        body.Append("</tbody></table>");
        if (run.Error is { } error) body.Append($"<h2>Failure</h2><div class=\"error\" id=\"failure\">{HtmlEncode(error)}</div>");

        var names = MetricCatalog.Order(details.Series.Keys);
        body.Append($"<h2>Curves</h2><p class=\"muted\">{names.Count} metrics; x is the batch (step), held-out evaluations are at their policy version.</p>");
        body.Append("<div class=\"charts\" id=\"charts\">");
        foreach (var name in names)
            body.Append("<figure>").Append(SvgChart.Render(name, MetricCatalog.Title(name), [new ChartSeries(run.Name, MetricCatalog.Colors[0], details.Series[name])])).Append("</figure>");
        body.Append("</div>");

        var steps = details.Series.TryGetValue("reward", out var reward) ? reward.Select(p => p.Step).ToArray() : [];
        if (steps.Length > 0)
            body.Append("<h2>Completions by step</h2><p class=\"pager\">")
                .AppendJoin(' ', steps.Select(s => $"<a href=\"/runs/{run.Id}/samples?step={s}\">{s}</a>")).Append("</p>");

        body.Append("<h2>Policy versions</h2><table class=\"sortable\" id=\"versions\"><thead><tr><th>version</th><th>format</th><th>SHA-256</th><th>recorded</th><th>checkpoint</th></tr></thead><tbody>");
        foreach (var v in details.Versions)
            body.Append($"<tr><td class=\"num\">{v.Version}</td><td>{HtmlEncode(v.Format)}</td><td><code>{HtmlEncode(v.Sha256)}</code></td><td>{Layout.Time(v.CreatedAt)}</td><td><code>{HtmlEncode(v.CheckpointUri)}</code></td></tr>");
        body.Append("</tbody></table>");

        body.Append("<h2>Held-out evaluations</h2>");
        if (details.Evaluations.Count == 0) body.Append("<p class=\"muted\">none yet</p>");
        else
        {
            body.Append("<table class=\"sortable\" id=\"evaluations\"><thead><tr><th>version</th><th>split</th><th>accuracy</th><th>format rate</th><th>pass@k</th><th>recorded</th></tr></thead><tbody>");
            foreach (var e in details.Evaluations)
                body.Append($"<tr><td class=\"num\">{e.PolicyVersion}</td><td>{HtmlEncode(e.Split)}</td><td class=\"num\">{Layout.Number(e.Accuracy * 100, "0.0")}%</td><td class=\"num\">{Layout.Number(e.FormatRate * 100, "0.0")}%</td><td class=\"num\">{(e.K > 0 ? $"{Layout.Number(e.PassAtK * 100, "0.0")}% (k={e.K})" : "")}</td><td>{Layout.Time(e.CreatedAt)}</td></tr>");
            body.Append("</tbody></table>");
        }

        body.Append($"<h2>Settings</h2><pre id=\"settings\">{HtmlEncode(Indented(run.ConfigJson))}</pre>");
        return Layout.Page(run.Name, body.ToString(), run.Status == RunStatus.Running ? refreshSeconds : null);
    }

    static void Row(StringBuilder body, string label, string html) => body.Append($"<tr><td>{label}</td><td>{html}</td></tr>");

    static string Indented(string json)
    {
        using var document = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(document.RootElement, new JsonSerializerOptions { WriteIndented = true });
    }
}

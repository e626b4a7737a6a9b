using System.Text;
using Pipeline.Data.Entities;
using Pipeline.Data.Stores;
using static System.Net.WebUtility;

namespace Pipeline.Dashboard.Pages;

/// <summary><c>/</c>: every run, newest first, in a table that sorts by any column; tick two or more to compare.</summary>
static class RunsPage
{
    public static string Render(IReadOnlyList<RunOverview> runs, DateTimeOffset now, int refreshSeconds)
    {
        var names = runs.ToDictionary(r => r.Run.Id, r => r.Run.Name);
        var rows = new StringBuilder();
        foreach (var (run, version, groups, accuracy) in runs)
        {
            var duration = (run.FinishedAt ?? now) - run.CreatedAt;
            var lineage = run.SourceRunId is { } source
                ? $"replay of <a href=\"/runs/{source}\">{HtmlEncode(names.GetValueOrDefault(source, source.ToString()[..8]))}</a>"
                : "";
            rows.Append($"""
                <tr><td><input type="checkbox" name="runs" value="{run.Id}" aria-label="compare {HtmlEncode(run.Name)}"></td>
                <td><a href="/runs/{run.Id}">{HtmlEncode(run.Name)}</a> <span class="muted">{run.Id.ToString()[..8]}</span></td>
                <td>{Layout.Status(StatusName(run.Status))}</td>
                <td data-sort="{run.CreatedAt.ToUnixTimeMilliseconds()}">{Layout.Time(run.CreatedAt)}</td>
                <td class="num" data-sort="{(long)duration.TotalSeconds}">{Layout.Duration(duration)}</td>
                <td class="num">{version}</td>
                <td class="num" data-sort="{groups}">{groups} / {run.GroupsExpected}</td>
                <td class="num">{(accuracy is { } a ? Layout.Number(a * 100, "0.0") + "%" : "")}</td>
                <td>{lineage}</td></tr>
                """);
        }
        var body = runs.Count == 0
            ? "<h1>Runs</h1><p>No runs in this database yet: start one with <code>pipeline train</code> or <code>pipeline demo</code>.</p>"
            : $"""
                <h1>Runs</h1>
                <form action="/compare" method="get">
                <table class="sortable" id="runs">
                <thead><tr><th></th><th>name</th><th>status</th><th>started</th><th>duration</th><th>versions</th><th>groups</th><th>held-out accuracy</th><th>lineage</th></tr></thead>
                <tbody>{rows}</tbody>
                </table>
                <p><button type="submit">compare selected</button></p>
                </form>
                """;
        return Layout.Page("Runs", body, runs.Any(r => r.Run.Status == RunStatus.Running) ? refreshSeconds : null);
    }

    public static string StatusName(RunStatus status) => status.ToString().ToLowerInvariant();
}

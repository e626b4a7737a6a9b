using System.Text;
using Pipeline.Dashboard.Charts;
using Pipeline.Data.Entities;
using static System.Net.WebUtility;

namespace Pipeline.Dashboard.Pages;

/// <summary><c>/compare?runs=a,b</c>: the curves of two or more runs overlaid, one chart per metric any of them
/// stores (a run and its replay ablation, two settings of one task).</summary>
static class ComparePage
{
    public static string Render(IReadOnlyList<RunDetails> runs, int refreshSeconds)
    {
        var body = new StringBuilder("<h1>Compare</h1><p>");
        body.AppendJoin(" · ", runs.Select((r, i) =>
            $"<span style=\"color:{MetricCatalog.Colors[i % MetricCatalog.Colors.Length]}\">■</span> <a href=\"/runs/{r.Run.Id}\">{HtmlEncode(r.Run.Name)}</a> <span class=\"muted\">{r.Run.Id.ToString()[..8]}</span>"));
        body.Append("</p><div class=\"charts\" id=\"charts\">");
        foreach (var name in MetricCatalog.Order(runs.SelectMany(r => r.Series.Keys)))
        {
            var series = runs.Select((r, i) => new ChartSeries(Label(r.Run, runs), MetricCatalog.Colors[i % MetricCatalog.Colors.Length],
                r.Series.TryGetValue(name, out var points) ? points : [])).ToArray();
            body.Append("<figure>").Append(SvgChart.Render(name, MetricCatalog.Title(name), series)).Append("</figure>");
        }
        body.Append("</div>");
        return Layout.Page("Compare", body.ToString(), runs.Any(r => r.Run.Status == RunStatus.Running) ? refreshSeconds : null);
    }

    /// <summary>The run's name, with its id's start when two compared runs share a name.</summary>
    static string Label(Run run, IReadOnlyList<RunDetails> runs) =>
        runs.Count(r => r.Run.Name == run.Name) > 1 ? $"{run.Name} {run.Id.ToString()[..8]}" : run.Name;
}

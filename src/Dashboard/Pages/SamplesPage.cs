using System.Globalization;
using System.Text;
using Pipeline.Data.Entities;
using static System.Net.WebUtility;

namespace Pipeline.Dashboard.Pages;

/// <summary><c>/runs/{id}/samples?step=N</c>: the completions of one step (batch), group by group: the prompt, then
/// each completion with its reward, reward components, verdict and advantage, its tokens shaded by how unlikely the
/// sampling policy found them (the darker, the lower the log-prob; hover for the value).</summary>
static class SamplesPage
{
    public static string Render(Run run, int step, IReadOnlyList<int> steps, IReadOnlyList<SampleRow> samples)
    {
        var body = new StringBuilder($"<h1><a href=\"/runs/{run.Id}\">{HtmlEncode(run.Name)}</a>: completions of step {step}</h1><p class=\"pager\">");
        int at = Array.IndexOf([.. steps], step);
        if (at > 0) body.Append($"<a href=\"?step={steps[at - 1]}\">← step {steps[at - 1]}</a>");
        if (at >= 0 && at < steps.Count - 1) body.Append($"<a href=\"?step={steps[at + 1]}\">step {steps[at + 1]} →</a>");
        body.Append("</p>");
        if (samples.Count == 0)
            body.Append(run.SourceRunId is { } source
                ? $"<p>A replay stores no completions of its own: see <a href=\"/runs/{source}/samples?step={step}\">its source run</a>.</p>"
                : "<p class=\"muted\">No stored completions for this step.</p>");
        foreach (var group in samples.GroupBy(s => s.PromptId))
        {
            var first = group.First();
            body.Append(CultureInfo.InvariantCulture, $"<h2>prompt {group.Key} <span class=\"muted\">behaviour version {first.PolicyVersion}{(first.Step is { } s ? $", consumed at training step {s}" : "")}</span></h2>");
            body.Append($"<pre class=\"prompt\">{HtmlEncode(first.Prompt)}</pre>");
            body.Append("<table class=\"sortable samples\"><thead><tr><th>#</th><th>reward</th><th>components</th><th>verdict</th><th>advantage</th><th>completion</th></tr></thead><tbody>");
            foreach (var row in group)
            {
                var components = string.Join("<br>", row.Components.Select(c => $"{HtmlEncode(c.Key)} {Layout.Number(c.Value)}"));
                body.Append($"<tr><td class=\"num\">{row.Index}</td><td class=\"num\">{Layout.Number(row.Reward)}</td><td>{components}</td><td>{HtmlEncode(row.Verdict)}</td>")
                    .Append($"<td class=\"num\">{(row.Advantage is { } a ? Layout.Number(a, "0.000") : "<span class=\"muted\">not trained</span>")}</td>")
                    .Append($"<td><code>{Shaded(row)}</code>{(row.FinishReason == "length" ? " <span class=\"muted\">(cut at the budget)</span>" : "")}</td></tr>");
            }
            body.Append("</tbody></table>");
        }
        return Layout.Page($"{run.Name} step {step}", body.ToString());
    }

    /// <summary>The completion's tokens, each shaded by 1 − p (p = exp(log-prob)); the plain text when no tokens are stored.</summary>
    static string Shaded(SampleRow row)
    {
        if (row.Tokens.Count == 0) return HtmlEncode(row.Completion);
        var html = new StringBuilder();
        foreach (var token in row.Tokens)
        {
            double surprise = 1 - Math.Exp(Math.Min(0, token.LogProb));
            html.Append(CultureInfo.InvariantCulture,
                $"<span class=\"tok\" style=\"background:rgba(213,94,0,{surprise * 0.75:F2})\" title=\"token {token.Id}, log-prob {token.LogProb:F3}\">{HtmlEncode(token.Text)}</span>");
        }
        return html.ToString();
    }
}

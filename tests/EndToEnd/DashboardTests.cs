using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pipeline.Tests.EndToEnd;

/// <summary><c>pipeline dashboard</c> over the database of a finished embedded run: the API returns exactly the
/// stored series, the run page in a real browser draws one chart per metric, the completions of a step come with
/// their advantages, Hangfire's dashboard answers, and nothing can be written.</summary>
[Collection(TrainedTinyRunCollection.Name)]
public sealed partial class DashboardTests(TrainedTinyRun run)
{
    [Fact]
    public async Task The_metrics_api_returns_the_series_stored_for_a_finished_embedded_run()
    {
        await using var dashboard = await PipelineServer.StartDashboardAsync(run.Pipeline, TrainedTinyRun.Limit);
        using var client = dashboard.Client();

        using var json = JsonDocument.Parse(await client.GetStringAsync($"/api/runs/{run.RunId}/metrics"));

        Assert.Equal(run.RunId, json.RootElement.GetProperty("run_id").GetGuid());
        var served = json.RootElement.GetProperty("series").EnumerateObject()
            .SelectMany(s => s.Value.EnumerateArray().Select(p => (s.Name, p.GetProperty("step").GetInt32(), p.GetProperty("value").GetDouble())))
            .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Item2).ToArray();
        var stored = (await run.StoredMetricsAsync()).OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Step).ToArray();
        Assert.Equal(stored, served);
        var names = stored.Select(p => p.Name).ToHashSet();
        foreach (var expected in new[] { "reward", "reward_std", "rewards/accuracy/mean", "frac_reward_zero_std", "completions/mean_length",
                     "completions/clipped_ratio", "entropy", "kl", "clip_ratio/region_mean", "grad_norm", "learning_rate", "num_tokens",
                     "timing_s/generate", "timing_s/score", "timing_s/learn", "timing_s/publish", "perf/throughput", "staleness",
                     "sampling/sampling_logp_difference/mean", "eval/accuracy", "eval/format_rate", "eval/pass@2" })
            Assert.Contains(expected, names);
        Assert.Equal(6, stored.Count(p => p.Name == "reward"));
    }

    [Fact]
    public async Task The_run_page_in_a_headless_browser_shows_one_rendered_chart_per_metric()
    {
        await using var dashboard = await PipelineServer.StartDashboardAsync(run.Pipeline, TrainedTinyRun.Limit);
        var metrics = (await run.StoredMetricsAsync()).Select(p => p.Name).ToHashSet();

        var dom = await HeadlessBrowser.DumpDomAsync(new Uri(dashboard.Address, $"/runs/{run.RunId}"), TrainedTinyRun.Limit);

        var charts = Chart().Matches(dom).Select(m => (Metric: WebUtility.HtmlDecode(m.Groups[1].Value), Body: m.Groups[2].Value)).ToArray();
        Assert.Equal(metrics.Order(StringComparer.Ordinal), charts.Select(c => c.Metric).Order(StringComparer.Ordinal));
        Assert.All(charts, c => Assert.Contains("<polyline", c.Body));
        Assert.Contains("completed", dom);
        Assert.Contains("Policy versions", dom);
    }

    [Fact]
    public async Task The_completions_of_a_step_come_with_their_rewards_and_advantages()
    {
        await using var dashboard = await PipelineServer.StartDashboardAsync(run.Pipeline, TrainedTinyRun.Limit);
        using var client = dashboard.Client();

        using var json = JsonDocument.Parse(await client.GetStringAsync($"/api/runs/{run.RunId}/samples?step=0"));
        var samples = json.RootElement.GetProperty("samples").EnumerateArray().ToArray();

        Assert.Equal(8 * 4, samples.Length);   // tiny.json: 8 prompts × 4 completions; dynamic sampling off, so every group was trained on
        Assert.All(samples, s => Assert.Equal(JsonValueKind.Number, s.GetProperty("advantage").ValueKind));
        Assert.All(samples, s => Assert.Equal(s.GetProperty("token_ids").GetArrayLength(), s.GetProperty("log_probs").GetArrayLength()));
        var page = await client.GetStringAsync($"/runs/{run.RunId}/samples?step=0");
        Assert.Contains("class=\"tok\"", page);
    }

    [Fact]
    public async Task Hangfire_answers_and_the_dashboard_serves_no_write_endpoint()
    {
        await using var dashboard = await PipelineServer.StartDashboardAsync(run.Pipeline, TrainedTinyRun.Limit);
        using var client = dashboard.Client();

        var hangfire = await client.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.OK, hangfire.StatusCode);
        Assert.Contains("Hangfire", await hangfire.Content.ReadAsStringAsync());
        Assert.Contains(run.RunId.ToString(), await client.GetStringAsync("/"));
        foreach (var path in new[] { "/api/runs", $"/api/runs/{run.RunId}", $"/runs/{run.RunId}" })
            Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.PostAsync(path, new StringContent(""))).StatusCode);
    }

    [GeneratedRegex("""<svg class="chart" data-metric="([^"]+)"[^>]*>(.*?)</svg>""", RegexOptions.Singleline)]
    private static partial Regex Chart();
}

using Pipeline.Dashboard.Charts;
using Pipeline.Data.Stores;

namespace Pipeline.Tests.Unit.Dashboard;

public sealed class SvgChartTests
{
    [Fact]
    public void A_chart_names_its_metric_and_draws_one_line_per_series_with_a_point_per_step()
    {
        var svg = SvgChart.Render("rewards/accuracy/mean", "accuracy", [
            new ChartSeries("a", "#000", [new MetricPoint(0, 0.1), new MetricPoint(1, 0.5), new MetricPoint(2, 0.9)]),
            new ChartSeries("b <replay>", "#111", [new MetricPoint(0, 0.2)]),
        ]);

        Assert.StartsWith("<svg class=\"chart\" data-metric=\"rewards/accuracy/mean\"", svg);
        Assert.Equal(2, svg.Split("<polyline").Length - 1);
        Assert.Equal(4, svg.Split("<circle").Length - 1);
        Assert.Contains("b &lt;replay&gt;", svg);
        Assert.DoesNotContain("NaN", svg);
    }

    [Fact]
    public void A_metric_without_points_says_so_instead_of_drawing_axes()
    {
        var svg = SvgChart.Render("kl", "KL", [new ChartSeries("a", "#000", [])]);

        Assert.Contains("no points yet", svg);
        Assert.DoesNotContain("<polyline", svg);
    }

    [Fact]
    public void Known_metrics_come_first_in_reading_order_and_the_rest_alphabetically()
    {
        Assert.Equal(["reward", "accuracy", "kl", "a_custom", "z_custom"], MetricCatalog.Order(["z_custom", "kl", "a_custom", "accuracy", "reward"]));
    }

    [Fact]
    public void Countdown_s_held_out_length_and_self_verification_follow_held_out_accuracy()
    {
        Assert.Equal(["eval/accuracy", "eval/mean_completion_tokens", "eval/self_verification_rate", "kl"],
            MetricCatalog.Order(["kl", "eval/self_verification_rate", "eval/accuracy", "eval/mean_completion_tokens"]));
        Assert.Equal("held-out self-verification, Countdown (by version)", MetricCatalog.Title("eval/self_verification_rate"));
    }
}

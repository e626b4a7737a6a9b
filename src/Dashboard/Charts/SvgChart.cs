using System.Globalization;
using System.Text;
using static System.Net.WebUtility;

namespace Pipeline.Dashboard.Charts;

/// <summary>A line chart as inline SVG, drawn on the server: no script, no chart library, readable in any browser
/// and in a saved page. Axes with rounded ticks, one polyline per series, a dot with a tooltip on every point when
/// there are few, and a legend when there is more than one series. The element carries
/// <c>class="chart" data-metric="NAME"</c> so a page test can find the chart of each metric.</summary>
public static class SvgChart
{
    const int Width = 440, Height = 230, Left = 56, Right = 12, Top = 28, Bottom = 34;
    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Render(string metric, string title, IReadOnlyList<ChartSeries> series)
    {
        var points = series.SelectMany(s => s.Points).ToArray();
        var svg = new StringBuilder();
        svg.Append(Invariant, $"<svg class=\"chart\" data-metric=\"{HtmlEncode(metric)}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{HtmlEncode(title)}\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.Append(Invariant, $"<text class=\"title\" x=\"{Left}\" y=\"18\">{HtmlEncode(title)}</text>");
        if (points.Length == 0)
        {
            svg.Append(Invariant, $"<text class=\"empty\" x=\"{Width / 2}\" y=\"{Height / 2}\" text-anchor=\"middle\">no points yet</text></svg>");
            return svg.ToString();
        }

        var (xMin, xMax) = Range(points.Select(p => (double)p.Step));
        var (yMin, yMax) = Range(points.Select(p => p.Value));
        var yTicks = Ticks(yMin, yMax);
        (yMin, yMax) = (Math.Min(yMin, yTicks[0]), Math.Max(yMax, yTicks[^1]));
        var xTicks = Ticks(xMin, xMax).Where(t => t >= xMin && t <= xMax && t == Math.Floor(t)).ToArray();
        double X(double step) => Left + (step - xMin) / (xMax - xMin) * (Width - Left - Right);
        double Y(double value) => Height - Bottom - (value - yMin) / (yMax - yMin) * (Height - Top - Bottom);

        svg.Append(Invariant, $"<rect class=\"plot\" x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\"/>");
        foreach (var tick in yTicks)
        {
            svg.Append(Invariant, $"<line class=\"grid\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Y(tick):F1}\" y2=\"{Y(tick):F1}\"/>");
            svg.Append(Invariant, $"<text class=\"tick\" x=\"{Left - 6}\" y=\"{Y(tick) + 4:F1}\" text-anchor=\"end\">{Format(tick)}</text>");
        }
        foreach (var tick in xTicks)
            svg.Append(Invariant, $"<text class=\"tick\" x=\"{X(tick):F1}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\">{Format(tick)}</text>");
        svg.Append(Invariant, $"<text class=\"axis\" x=\"{Width - Right}\" y=\"{Height - 4}\" text-anchor=\"end\">step</text>");

        foreach (var line in series.Where(s => s.Points.Count > 0))
        {
            var path = string.Join(' ', line.Points.Select(p => string.Create(Invariant, $"{X(p.Step):F1},{Y(p.Value):F1}")));
            svg.Append(Invariant, $"<polyline class=\"line\" fill=\"none\" stroke=\"{line.Color}\" stroke-width=\"2\" points=\"{path}\"><title>{HtmlEncode(line.Label)}</title></polyline>");
            if (line.Points.Count > 80) continue;
            foreach (var p in line.Points)
                svg.Append(Invariant, $"<circle cx=\"{X(p.Step):F1}\" cy=\"{Y(p.Value):F1}\" r=\"2.5\" fill=\"{line.Color}\"><title>{HtmlEncode(line.Label)} step {p.Step}: {Format(p.Value)}</title></circle>");
        }
        if (series.Count > 1)
        {
            double x = Left + 4;
            foreach (var line in series)
            {
                svg.Append(Invariant, $"<rect x=\"{x:F1}\" y=\"{Top + 4}\" width=\"10\" height=\"10\" fill=\"{line.Color}\"/><text class=\"legend\" x=\"{x + 14:F1}\" y=\"{Top + 13}\">{HtmlEncode(line.Label)}</text>");
                x += 24 + 6.5 * Math.Min(line.Label.Length, 24);
            }
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>The data's range, widened when it is a single value so that the line sits mid-chart.</summary>
    static (double Min, double Max) Range(IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).DefaultIfEmpty(0).ToArray();
        double min = finite.Min(), max = finite.Max();
        if (max > min) return (min, max);
        double pad = Math.Abs(min) > 0 ? Math.Abs(min) * 0.1 : 1;
        return (min - pad, max + pad);
    }

    /// <summary>About five round ticks (1, 2 or 5 × 10^k apart) covering [min, max].</summary>
    static double[] Ticks(double min, double max)
    {
        double raw = (max - min) / 4, magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1.0, 2.0, 5.0, 10.0 }.Select(m => m * magnitude).First(s => s >= raw);
        double first = Math.Floor(min / step) * step;
        var ticks = new List<double>();
        for (double t = first; t < max + step * 0.999; t += step) ticks.Add(Math.Round(t / step) * step);
        return [.. ticks];
    }

    static string Format(double value) =>
        value == 0 ? "0" : Math.Abs(value) is >= 1e4 or < 1e-3 ? value.ToString("0.##e0", Invariant) : value.ToString("0.####", Invariant);
}

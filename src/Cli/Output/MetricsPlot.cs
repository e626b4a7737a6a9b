using Pipeline.Dashboard.Charts;
using Pipeline.Data.Stores;
using ScottPlot;
using SkiaSharp;

namespace Pipeline.Cli.Output;

/// <summary><c>pipeline runs plot</c>'s figure: one ScottPlot line chart per metric (in the dashboard's order), tiled
/// three to a row into one PNG or SVG.</summary>
public static class MetricsPlot
{
    const int TileWidth = 520, TileHeight = 320, Columns = 3;

    /// <exception cref="ArgumentException">the file is neither .png nor .svg, or there is nothing to plot</exception>
    public static void Save(string path, string runName, IReadOnlyDictionary<string, IReadOnlyList<MetricPoint>> series)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is not (".png" or ".svg")) throw new ArgumentException($"--out must end in .png or .svg, not '{Path.GetFileName(path)}'");
        if (series.Count == 0) throw new ArgumentException("the run has no metrics to plot (yet)");
        var plots = MetricCatalog.Order(series.Keys).Select(name => Chart(runName, name, series[name])).ToArray();
        int rows = (plots.Length + Columns - 1) / Columns, width = Math.Min(plots.Length, Columns) * TileWidth, height = rows * TileHeight;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (extension == ".png") SavePng(path, plots, width, height);
        else SaveSvg(path, plots, width, height);
    }

    static Plot Chart(string runName, string name, IReadOnlyList<MetricPoint> points)
    {
        var plot = new Plot();
        var line = plot.Add.ScatterLine(points.Select(p => (double)p.Step).ToArray(), points.Select(p => p.Value).ToArray());
        line.LineWidth = 2;
        line.MarkerSize = points.Count <= 60 ? 4 : 0;
        line.LegendText = runName;
        plot.Title(MetricCatalog.Title(name), size: 14);
        plot.XLabel("step");
        return plot;
    }

    static void SavePng(string path, Plot[] plots, int width, int height)
    {
        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        surface.Canvas.Clear(SKColors.White);
        for (int i = 0; i < plots.Length; i++)
        {
            using var tile = SKBitmap.Decode(plots[i].GetImage(TileWidth, TileHeight).GetImageBytes(ImageFormat.Png, 100));
            surface.Canvas.DrawBitmap(tile, i % Columns * TileWidth, i / Columns * TileHeight);
        }
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        png.SaveTo(file);
    }

    static void SaveSvg(string path, Plot[] plots, int width, int height)
    {
        using var file = new StreamWriter(path);
        file.Write($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">");
        for (int i = 0; i < plots.Length; i++)
        {
            var tile = plots[i].GetSvgXml(TileWidth, TileHeight);
            int start = tile.IndexOf("<svg", StringComparison.Ordinal);
            file.Write($"<svg x=\"{i % Columns * TileWidth}\" y=\"{i / Columns * TileHeight}\"{tile[(start + 4)..]}");
        }
        file.Write("</svg>");
    }
}

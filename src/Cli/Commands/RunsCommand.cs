using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Cli.Hosting;
using Pipeline.Cli.Output;
using Pipeline.Cli.Workflows;
using Pipeline.Data.Entities;
using Pipeline.Data.Stores;
using Pipeline.Orchestration;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline runs list</c>, <c>runs show ID</c>, <c>runs metrics ID</c> and <c>runs plot ID</c>: the runs tracked
/// in the configured database, their per-step metrics as JSON or CSV, and as charts.</summary>
public static class RunsCommand
{
    public static Command Create()
    {
        var command = new Command("runs", "List and show tracked runs (from the database in Storage:*).");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Metrics());
        command.Subcommands.Add(Plot());
        return command;
    }

    static Command List() => PipelineCommand.Create("list", "The most recent runs.", [], async context =>
    {
        await using var services = StorageServices.Build(context.Configuration);
        var runs = await services.GetRequiredService<RunStore>().ListAsync(50, context.Cancellation);
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in new[] { "id", "name", "status", "created", "finished", "replay of" }) table.AddColumn(column);
        foreach (var run in runs)
            table.AddRow(run.Id.ToString(), Markup.Escape(run.Name), run.Status.ToString().ToLowerInvariant(), run.CreatedAt.ToString("u"), run.FinishedAt?.ToString("u") ?? "", run.SourceRunId?.ToString() ?? "");
        context.Out.Write(table);
        await context.WriteJsonAsync(runs.Select(r => new { r.Id, r.Name, Status = r.Status.ToString().ToLowerInvariant(), r.CreatedAt, r.FinishedAt, r.SourceRunId }).ToArray());
        return ExitCodes.Success;
    });

    static Command Show()
    {
        var id = new Argument<Guid>("id") { Description = "The run's id (from `pipeline train` or `pipeline runs list`)." };
        return PipelineCommand.Create("show", "One run: status, policy versions, groups scored, duplicates ignored, latest held-out evaluation.", [id], async context =>
        {
            await using var services = StorageServices.Build(context.Configuration);
            var summary = await services.GetRequiredService<RunSummaryQuery>().GetAsync(context.Get(id), context.Cancellation)
                ?? throw new ArgumentException($"no run {context.Get(id)} in the configured database");
            var report = RunReport.From(summary);
            Print(context.Out, report);
            await context.WriteJsonAsync(report);
            return ExitCodes.Success;
        });
    }

    static Command Metrics()
    {
        var id = new Argument<Guid>("id") { Description = "The run's id." };
        var names = NamesOption();
        var csv = new Option<string>("--csv") { Description = "Write name,step,value rows to this file ('-' for standard output)." };
        return PipelineCommand.Create("metrics", "A run's per-step metrics: a summary table, --json {run_id, series: {NAME: [{step, value}]}}, --csv name,step,value.", [id, names, csv], async context =>
        {
            var (run, series) = await ReadMetricsAsync(context, context.Get(id), context.Get(names));
            var csvTarget = context.Get(csv);
            var table = new Table().Border(TableBorder.Rounded);
            foreach (var column in new[] { "metric", "points", "first", "last", "min", "max" }) table.AddColumn(column);
            foreach (var (name, points) in series.OrderBy(s => s.Key, StringComparer.Ordinal))
                table.AddRow(Markup.Escape(name), points.Count.ToString(), Number(points[0].Value), Number(points[^1].Value), Number(points.Min(p => p.Value)), Number(points.Max(p => p.Value)));
            var console = csvTarget == JsonResults.Stdout ? context.Err : context.Out;
            console.MarkupLineInterpolated($"run {run.Id} ({run.Name}), {series.Count} metrics");
            console.Write(table);
            if (csvTarget == JsonResults.Stdout) await MetricsCsv.WriteAsync(Console.Out, series);
            else if (csvTarget is not null)
            {
                await using var file = new StreamWriter(Path.GetFullPath(csvTarget));
                await MetricsCsv.WriteAsync(file, series);
            }
            await context.WriteJsonAsync(new
            {
                RunId = run.Id,
                Series = series.ToDictionary(s => s.Key, s => s.Value.Select(p => new { p.Step, Value = JsonResults.Finite(p.Value) })),
            });
            return ExitCodes.Success;
        });
    }

    static Command Plot()
    {
        var id = new Argument<Guid>("id") { Description = "The run's id." };
        var names = NamesOption();
        var output = new Option<string>("--out") { Description = "The figure: FILE.png or FILE.svg.", Required = true };
        return PipelineCommand.Create("plot", "Chart a run's per-step metrics, one panel each, into a PNG or SVG.", [id, names, output], async context =>
        {
            var (run, series) = await ReadMetricsAsync(context, context.Get(id), context.Get(names));
            var path = Path.GetFullPath(context.Get(output)!);
            MetricsPlot.Save(path, run.Name, series);
            context.Out.WriteLine($"{path}: {series.Count} metrics of run {run.Id}");
            return ExitCodes.Success;
        }, json: false);
    }

    static Option<string> NamesOption() => new("--names") { Description = "Only these metrics, separated by commas (e.g. reward,kl,entropy)." };

    static async Task<(Run Run, IReadOnlyDictionary<string, IReadOnlyList<MetricPoint>> Series)> ReadMetricsAsync(CommandContext context, Guid runId, string? names)
    {
        await using var services = StorageServices.Build(context.Configuration);
        var run = await services.GetRequiredService<RunStore>().GetAsync(runId, context.Cancellation)
            ?? throw new ArgumentException($"no run {runId} in the configured database");
        var all = await services.GetRequiredService<MetricStore>().GetCurvesAsync(runId, cancellationToken: context.Cancellation);
        var wanted = names?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (wanted is null or { Length: 0 }) return (run, all);
        var unknown = wanted.Where(n => !all.ContainsKey(n)).ToArray();
        if (unknown.Length > 0)
            throw new ArgumentException($"run {runId} has no metric {string.Join(", ", unknown)}; it has {string.Join(", ", all.Keys.Order(StringComparer.Ordinal))}");
        return (run, wanted.Distinct().ToDictionary(n => n, n => all[n]));
    }

    static string Number(double value) => value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);

    public static void Print(IAnsiConsole console, RunReport report)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("run", $"{report.Id} ({Markup.Escape(report.Name)})");
        grid.AddRow("status", report.Status + (report.Error is null ? "" : $": {Markup.Escape(report.Error)}"));
        if (report.SourceRunId is { } source) grid.AddRow("replay of", source.ToString());
        if (report.CodeVersion is { } code) grid.AddRow("code version", Markup.Escape(code));
        grid.AddRow("policy versions", report.PolicyVersions.ToString());
        grid.AddRow("groups scored", $"{report.GroupsScored} of {report.GroupsExpected} ({report.GroupsTrainedOn} trained on, {report.GroupsStale} stale)");
        grid.AddRow("duplicates ignored", report.DuplicatesIgnored.ToString());
        grid.AddRow("held-out", report.Final is { } f ? $"version {f.PolicyVersion}: accuracy {f.Accuracy:P1}, format {f.FormatRate:P1}" : "not evaluated yet");
        console.Write(grid);
    }
}

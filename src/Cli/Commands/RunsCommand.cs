using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Cli.Hosting;
using Pipeline.Cli.Output;
using Pipeline.Cli.Workflows;
using Pipeline.Data.Stores;
using Pipeline.Orchestration;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline runs list</c> and <c>pipeline runs show ID</c>: the runs tracked in the configured database.</summary>
public static class RunsCommand
{
    public static Command Create()
    {
        var command = new Command("runs", "List and show tracked runs (from the database in Storage:*).");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
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

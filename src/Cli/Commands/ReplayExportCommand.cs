using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Cli.Hosting;
using Pipeline.Learner.Replay;
using Pipeline.Orchestration;
using Pipeline.Orchestration.Export;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline replay export RUN --out FILE</c>: every stored completion of a run, one row each, as JSON Lines
/// or Parquet (by FILE's extension), streamed from the database in constant memory. The summary goes to standard
/// output, progress to standard error.</summary>
public static class ReplayExportCommand
{
    public static Command Create()
    {
        var run = new Argument<Guid>("run") { Description = "The run's id (from `pipeline runs list`)." };
        var output = new Option<string>("--out")
        {
            Description = "The file to write: FILE.jsonl (one JSON object per line) or FILE.parquet. Written beside it as FILE.partial and renamed when complete.",
            Required = true,
        };
        return PipelineCommand.Create("export",
            "Every stored completion of RUN as one row: prompt, completion, reward and each reward component, verdict, the advantage the learner " +
            "trained it with (null if its group was not trained on), policy_version, batch, prompt_id, step, token_ids, logprobs, finish_reason.",
            [run, output], async context =>
            {
                var path = context.Get(output);
                if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("--out needs a file path ending in .jsonl or .parquet");
                var format = ReplayExportFile.FormatOf(path);
                await using var services = await ReplayServices.OpenAsync(context.Configuration, context.Cancellation);
                var progress = new RowProgress(p => context.Note($"export: {p.Rows}/{p.TotalRows} completions"));
                var summary = await ReplayExportFile.WriteAsync(services.GetRequiredService<ReplayExporter>(), context.Get(run), path, progress, context.Cancellation);

                context.Out.WriteLine(
                    $"{summary.Rows} completions of run {summary.RunId} ({summary.Groups} groups; {summary.TrainedRows} completions trained on) written to {path}");
                await context.WriteJsonAsync(new
                {
                    summary.RunId,
                    Out = Path.GetFullPath(path),
                    Format = format.ToString().ToLowerInvariant(),
                    summary.Rows,
                    summary.Groups,
                    summary.TrainedRows,
                    summary.Columns,
                });
                return ExitCodes.Success;
            });
    }

    /// <summary>Reports on the caller's thread, in order (<see cref="Progress{T}"/> would post to the thread pool).</summary>
    sealed class RowProgress(Action<ExportProgress> report) : IProgress<ExportProgress>
    {
        public void Report(ExportProgress value) => report(value);
    }
}

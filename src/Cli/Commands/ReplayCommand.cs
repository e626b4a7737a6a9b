using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Cli.Hosting;
using Pipeline.Learner.Replay;
using Pipeline.Orchestration;
using Pipeline.Policy;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline replay …</c>: a finished run's stored record, used again — retrained (<c>train</c>) or re-scored (<c>score</c>).</summary>
public static class ReplayCommand
{
    public static Command Create()
    {
        var command = new Command("replay", "Use a finished run's stored record again: retrain from its stored groups, or re-score them with today's reward rules (settings: Storage).");
        command.Subcommands.Add(Train());
        command.Subcommands.Add(ReplayScoreCommand.Create());
        command.Subcommands.Add(ReplayExportCommand.Create());
        return command;
    }

    static Argument<Guid> RunArgument() => new("run") { Description = "The source run's id (from `pipeline runs list`)." };

    static Command Train()
    {
        var run = RunArgument();
        var fromVersion = new Option<int?>("--from-version") { Description = "Start from this version of the source run (its weights and optimizer state)." };
        var rescored = new Option<long?>("--rescored") { Description = "Train on this saved re-scoring of the source run (`pipeline replay score --save`)." };
        return PipelineCommand.Create("train",
            "A new run trained on RUN's stored groups in the recorded order, with no generation and no verifier. With the source's settings it " +
            "reproduces every policy version bit for bit (same machine and thread count); --set Grpo:… makes it an offline ablation on the same trajectories.",
            [run, fromVersion, rescored], async context =>
            {
                if (context.Get(fromVersion) is < 0) throw new ArgumentException("--from-version must be 0 or more");
                // A replay is bit-identical only on the source's libtorch thread count: the trainer takes the one the source
                // recorded unless Learner:TorchThreads says otherwise.
                await using var services = await ReplayServices.OpenAsync(context.Configuration, context.Cancellation);
                var request = new ReplayRequest(context.Get(run), context.Overrides, context.Get(fromVersion), context.Get(rescored),
                    context.Configuration.GetValue<int>("Learner:TorchThreads"));
                var progress = new StepProgress(p => context.Err.MarkupLineInterpolated($"[grey]replay: step {p.Step}/{p.Steps}[/]"));
                var result = await services.GetRequiredService<ReplayTrainer>().RunAsync(request, progress, context.Cancellation);

                var table = new Table().Border(TableBorder.Rounded).Title($"[bold]replay {result.RunId} of {result.SourceRunId}[/]");
                foreach (var column in new[] { "version", "sha256", "source sha256", "identical" }) table.AddColumn(column);
                foreach (var v in result.Versions)
                    table.AddRow(v.Version.ToString(), v.Sha256[..16], v.SourceSha256?[..16] ?? "-", v.Identical ? "yes" : "[red]no[/]");
                context.Out.Write(table);
                context.Out.MarkupLineInterpolated(
                    $"{result.Steps} steps in {result.WallSeconds:F1} s; identical: {(result.Identical ? "yes" : "no")}; held-out accuracy {result.Final.Accuracy:P1}, format {result.Final.FormatRate:P1}");
                await context.WriteJsonAsync(new
                {
                    result.RunId,
                    result.SourceRunId,
                    result.Steps,
                    result.Identical,
                    Versions = result.Versions.Select(v => new { v.Version, v.Sha256, v.SourceSha256, v.Identical }).ToArray(),
                    Final = new { result.Final.Accuracy, result.Final.FormatRate },
                    result.WallSeconds,
                });
                return ExitCodes.Success;
            });
    }

    /// <summary>Reports on the caller's thread, in order (<see cref="Progress{T}"/> would post to the thread pool).</summary>
    sealed class StepProgress(Action<(int Step, int Steps)> report) : IProgress<(int Step, int Steps)>
    {
        public void Report((int Step, int Steps) value) => report(value);
    }
}

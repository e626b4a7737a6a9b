using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Cli.Hosting;
using Pipeline.Cli.Output;
using Pipeline.Cli.Workflows;
using Pipeline.Learner.Evaluation;
using Pipeline.Learner.Runs;
using Pipeline.Policy.Checkpoints;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline train</c>: one GRPO run from the configured base policy, every service in this process.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var set = CommonOptions.Set();
        var json = CommonOptions.Json();
        var command = new Command("train", "Start a GRPO run (settings: Run, Grpo, Task) and follow it to the end.") { config, set, json };
        command.SetAction((parse, cancellation) => CommandRunner.RunAsync(async () =>
        {
            var configuration = PipelineConfiguration.Build(parse.GetValue(config), parse.GetValue(set));
            var runConfig = RunConfigs.From(configuration);
            var (outcome, curve) = await EmbeddedTraining.RunAsync(configuration, runConfig, cancellation);
            using var services = CommandServices.Build(configuration);
            PolicyScore final;
            using (var trained = Checkpoint.Load(outcome.FinalCheckpoint))
                final = services.GetRequiredService<PolicyEvaluator>().Evaluate(trained, TaskSources.For(runConfig).HeldOut, 0, runConfig.Run.MaxTokens);
            AnsiConsole.MarkupLineInterpolated($"Run {outcome.RunId}: {outcome.PolicyVersions} policy versions; held-out accuracy {final.Accuracy:P1}, format {final.FormatRate:P1}; final checkpoint {outcome.FinalCheckpoint}");
            await JsonResults.WriteAsync(parse.GetValue(json), new
            {
                RunId = outcome.RunId,
                Status = "completed",
                outcome.PolicyVersions,
                outcome.FinalCheckpoint,
                outcome.StaleBatches,
                Final = new { final.Accuracy, final.FormatRate },
                Curve = curve.Select(c => new { c.Version, c.Accuracy }).ToArray(),
                outcome.WallSeconds,
            });
            return 0;
        }));
        return command;
    }
}

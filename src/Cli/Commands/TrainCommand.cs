using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Cli.Hosting;
using Pipeline.Cli.Output;
using Pipeline.Cli.Workflows;
using Pipeline.Orchestration;
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
        var wait = new Option<bool>("--wait") { Description = "With separate services: block until the run has finished (embedded runs always do)." };
        var timeout = new Option<int>("--timeout") { Description = "With --wait: give up after this many minutes.", DefaultValueFactory = _ => 120 };
        var command = new Command("train",
            "Start a GRPO run (settings: Run, Grpo, Task). Embedded in this process by default; when RabbitMq:Host is set, " +
            "the running learner, rollout and verifier services execute it.") { config, set, json, wait, timeout };
        command.SetAction((parse, cancellation) => CommandRunner.RunAsync(async () =>
        {
            var configuration = PipelineConfiguration.Build(parse.GetValue(config), parse.GetValue(set));
            var runConfig = RunSettings.From(configuration);
            if (!string.IsNullOrWhiteSpace(configuration["RabbitMq:Host"]))
            {
                var runId = await RemoteTraining.StartAsync(configuration, runConfig, cancellation);
                AnsiConsole.MarkupLineInterpolated($"Started run [bold]{runId}[/] on {configuration["RabbitMq:Host"]}; follow it with `pipeline runs show {runId}`.");
                if (!parse.GetValue(wait))
                {
                    await JsonResults.WriteAsync(parse.GetValue(json), new { RunId = runId, Status = "running" });
                    return 0;
                }
                var report = await RemoteTraining.WaitAsync(configuration, runId, TimeSpan.FromMinutes(parse.GetValue(timeout)), cancellation);
                RunsCommand.Print(report);
                await JsonResults.WriteAsync(parse.GetValue(json), new
                {
                    RunId = report.Id, report.Status, report.PolicyVersions, report.GroupsScored, report.GroupsExpected, report.DuplicatesIgnored, report.Final,
                });
                return report.Status == "completed" ? 0 : 1;
            }
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

using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Cli.Hosting;
using Pipeline.Cli.Output;
using Pipeline.Cli.Workflows;
using Pipeline.Data.Entities;
using Pipeline.Learner.Evaluation;
using Pipeline.Learner.Runs;
using Pipeline.Orchestration;
using Pipeline.Policy.Checkpoints;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline train</c>: one GRPO run from the configured base policy, every service in this process, or
/// started on running services over RabbitMQ.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var wait = new Option<bool>("--wait") { Description = "With separate services: block until the run has finished (embedded runs always do)." };
        var timeout = new Option<int>("--timeout") { Description = "With --wait: give up after this many minutes (exit code 1; the run goes on).", DefaultValueFactory = _ => 120 };
        return PipelineCommand.Create("train",
            "Start a GRPO run (settings: Run, Grpo, Task). Embedded in this process by default; when RabbitMq:Host is set, " +
            $"the running learner, rollout and verifier services execute it (the broker must answer within {Broker.TimeoutSetting}, default 30 s).",
            [wait, timeout], async context =>
        {
            var configuration = context.Configuration;
            var runConfig = RunSettings.From(configuration);
            if (!string.IsNullOrWhiteSpace(configuration["RabbitMq:Host"]))
            {
                int minutes = context.Get(timeout);
                if (minutes < 1) throw new ArgumentException($"--timeout must be at least 1 minute, not {minutes}");
                var runId = await Broker.ConnectAsync(context, token => RemoteTraining.StartAsync(configuration, runConfig, token));
                // A learner that refuses the run (a missing base policy, a bad path) fails it at once: say so, exit 1.
                var started = await RemoteRun.WaitStartedAsync(configuration, runId, Broker.ConnectTimeout(configuration), context.Cancellation);
                if (started is null)
                    context.Warn($"no learner has taken up run {runId} yet (is one running on this broker and database?)");
                bool refused = started?.Run.Status == RunStatus.Failed;
                if (!context.Get(wait) && !refused)
                {
                    context.Out.MarkupLineInterpolated($"Started run [bold]{runId}[/] on {configuration["RabbitMq:Host"]}; follow it with `pipeline runs show {runId}`.");
                    await context.WriteJsonAsync(new { RunId = runId, Status = "running" });
                    return ExitCodes.Success;
                }
                RunReport report;
                try
                {
                    if (!refused) context.Note($"Started run {runId} on {configuration["RabbitMq:Host"]}; waiting up to {minutes} min for it to finish.");
                    report = refused ? RunReport.From(started!) : await RemoteTraining.WaitAsync(configuration, runId, TimeSpan.FromMinutes(minutes), context.Cancellation);
                }
                catch (TimeoutException e)
                {
                    throw new CommandFailedException($"run {runId} did not finish within {minutes} min (--timeout); it goes on: " +
                        $"follow it with `pipeline runs show {runId}`", ExitCodes.Failed, e);
                }
                RunsCommand.Print(context.Out, report);
                await context.WriteJsonAsync(new
                {
                    RunId = report.Id,
                    report.Status,
                    report.PolicyVersions,
                    report.GroupsScored,
                    report.GroupsExpected,
                    report.DuplicatesIgnored,
                    report.Final,
                });
                if (report.Status == "completed") return ExitCodes.Success;
                if (refused) context.Err.MarkupLineInterpolated($"[red]error:[/] the learner refused run {runId}: {report.Error}");
                else context.Err.MarkupLineInterpolated($"[red]error:[/] run {runId} ended {report.Status}{(report.Error is null ? "" : $": {report.Error}")}");
                return ExitCodes.Failed;
            }
            var (outcome, curve) = await EmbeddedTraining.RunAsync(configuration, runConfig, context.Cancellation);
            using var services = CommandServices.Build(configuration);
            PolicyScore final;
            using (var trained = Checkpoint.Load(outcome.FinalCheckpoint))
                final = await ProgressDisplay.EvaluateAsync(services.GetRequiredService<PolicyEvaluator>(), trained, TaskSources.For(runConfig).HeldOut,
                    0, runConfig.Run.MaxTokens, description: "final policy, held-out", cancellationToken: context.Cancellation);
            context.Out.MarkupLineInterpolated($"Run {outcome.RunId}: {outcome.PolicyVersions} policy versions; held-out accuracy {final.Accuracy:P1}, format {final.FormatRate:P1}; final checkpoint {outcome.FinalCheckpoint}");
            await context.WriteJsonAsync(new
            {
                RunId = outcome.RunId,
                Status = "completed",
                outcome.PolicyVersions,
                outcome.FinalCheckpoint,
                outcome.StaleBatches,
                Final = new { final.Accuracy, final.FormatRate },
                Curve = curve.Select(c => new { c.Version, c.Score.Accuracy }).ToArray(),
                outcome.WallSeconds,
            });
            return ExitCodes.Success;
        });
    }
}

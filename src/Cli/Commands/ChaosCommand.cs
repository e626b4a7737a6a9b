using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Pipeline.Cli.Hosting;
using Pipeline.Cli.Output;
using Pipeline.Cli.Workflows;
using Pipeline.Hosting;
using Pipeline.Learner.Runs;
using Pipeline.Orchestration.Chaos;
using Pipeline.Policy.Checkpoints;
using Pipeline.Policy.Training;
using Pipeline.Tasks.Arithmetic;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline chaos</c>: a training run on the service processes while a seeded schedule kills, pauses and
/// restarts them and restarts the broker and the database; then checks from the database and the broker that
/// nothing was lost or trained twice (<see cref="ChaosRunner"/>, <see cref="ChaosChecks"/>).</summary>
public static class ChaosCommand
{
    /// <summary>The settings file used when <c>--config</c> is not given, relative to the working directory.</summary>
    public const string DefaultConfig = "configs/chaos.json";

    public static Command Create()
    {
        var seed = new Option<int>("--seed") { Description = "Seeds the fault schedule: the same seed, the same faults at the same moments.", DefaultValueFactory = _ => 1 };
        var minutes = new Option<double>("--minutes") { Description = "The fault window, from the moment the learner takes the run up.", DefaultValueFactory = _ => 10 };
        var learners = new Option<int>("--learners") { Description = "Learner processes (one trains, the others stand by).", DefaultValueFactory = _ => 2 };
        var rollouts = new Option<int>("--rollouts") { Description = "Rollout worker processes.", DefaultValueFactory = _ => 2 };
        var verifiers = new Option<int>("--verifiers") { Description = "Verifier processes.", DefaultValueFactory = _ => 1 };
        var pause = new Option<double>("--pause-seconds") { Description = "How long one rollout worker is SIGSTOPped; longer than the broker's consumer_timeout (0: no pause).", DefaultValueFactory = _ => 70 };
        var brokerRestart = new Option<string?>("--broker-restart") { Description = "Shell command that restarts RabbitMQ (default with PIPELINE_SERVICES_DIR: infra/services.sh restart rabbitmq 5)." };
        var databaseRestart = new Option<string?>("--database-restart") { Description = "Shell command that restarts PostgreSQL (default with PIPELINE_SERVICES_DIR: infra/services.sh restart postgres 3)." };
        var bin = new Option<DirectoryInfo?>("--bin") { Description = "Directory holding Pipeline.Learner.dll, Pipeline.Rollout.dll and Pipeline.Verifier.dll (default: beside this program)." };
        var timeout = new Option<double>("--timeout") { Description = "Minutes to wait for the run to end after the fault window.", DefaultValueFactory = _ => 30 };
        var logs = new Option<DirectoryInfo?>("--logs") { Description = "Where each service process writes its log (default: a new temporary directory)." };
        return PipelineCommand.Create("chaos",
            $"Fault injection: a training run (--config, default {DefaultConfig}) on learner, rollout and verifier processes over RabbitMQ + PostgreSQL " +
            "(RabbitMq:*, Storage:*) while a seeded schedule SIGKILLs and restarts them, pauses a rollout worker past the broker's consumer timeout " +
            "and restarts the broker and the database once each; then checks that the run completed with every group stored and trained exactly " +
            "once, versions in order with verified hashes, every queue (error queues included) empty, nothing of the sandbox left, and that a " +
            "replay reproduces every version. Exit code 0 only when every check holds.",
            [seed, minutes, learners, rollouts, verifiers, pause, brokerRestart, databaseRestart, bin, timeout, logs], async context =>
        {
            var configuration = WithDefaultConfig(context);
            if (string.IsNullOrWhiteSpace(configuration["RabbitMq:Host"]) || !string.Equals(configuration["Storage:Provider"], "postgres", StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException("chaos needs RabbitMq:Host and Storage:Provider=postgres (try: eval \"$(infra/services.sh up)\")");
            var options = new ChaosOptions
            {
                Seed = context.Get(seed),
                Minutes = context.Get(minutes),
                Learners = context.Get(learners),
                Rollouts = context.Get(rollouts),
                Verifiers = context.Get(verifiers),
                PauseSeconds = context.Get(pause),
                BrokerRestart = RestartCommand(context, context.Get(brokerRestart), "rabbitmq", 5, "broker"),
                DatabaseRestart = RestartCommand(context, context.Get(databaseRestart), "postgres", 3, "database"),
                BinDirectory = context.Get(bin)?.FullName,
                TimeoutMinutes = context.Get(timeout),
                LogDirectory = context.Get(logs)?.FullName ?? Directory.CreateTempSubdirectory("pipeline-chaos-").FullName,
            };
            options.Validate();
            await Broker.EnsureReachableAsync(context);

            var runConfig = RunSettings.From(configuration);
            if (!Checkpoint.Exists(runConfig.Run.BasePolicy))
            {
                context.Note($"No base policy at {runConfig.Run.BasePolicy}: building one first.");
                var task = TaskSources.For(runConfig);
                await BasePolicyTraining.RunAsync(BasePolicyTraining.Options(configuration),
                    PretrainingCorpus.For(task, configuration), runConfig.Run.BasePolicy, context.Cancellation);
            }
            runConfig = runConfig with { Run = runConfig.Run.WithAbsolutePaths() };

            var result = await new ChaosRunner(configuration, options, new ChaosDisplay(context.Err)).RunAsync(runConfig, context.Cancellation);
            Print(context.Out, result);
            await context.WriteJsonAsync(result.Report);
            if (result.Report.Passed) return ExitCodes.Success;
            context.Err.MarkupLineInterpolated($"[red]error:[/] chaos run {result.RunId} (seed {options.Seed}) failed: {string.Join("; ", result.Failed)}");
            return ExitCodes.Failed;
        });
    }

    /// <summary>The command's settings, with <see cref="DefaultConfig"/> as the settings file when <c>--config</c> is not given.</summary>
    static IConfigurationRoot WithDefaultConfig(CommandContext context)
    {
        if (context.Parse.GetResult("--config") is not null) return context.Configuration;
        var file = new FileInfo(DefaultConfig);
        if (!file.Exists) throw new FileNotFoundException($"no --config given and no {DefaultConfig} in {Environment.CurrentDirectory}: run from the repository root or pass --config");
        return PipelineConfiguration.Build(file, context.Parse.GetValue<string[]>("--set"));
    }

    /// <summary>The given command, or infra/services.sh's restart when PIPELINE_SERVICES_DIR says those servers are
    /// the throwaway ones; otherwise null, and the fault is skipped with a line saying so.</summary>
    static string? RestartCommand(CommandContext context, string? given, string server, int downSeconds, string what)
    {
        if (!string.IsNullOrWhiteSpace(given)) return given;
        var script = Environment.GetEnvironmentVariable("PIPELINE_SERVICES_DIR") is { Length: > 0 } ? ServicesScript() : null;
        if (script is null)
        {
            context.Warn($"no --{what}-restart command and no infra/services.sh servers (PIPELINE_SERVICES_DIR): the {what} restart is skipped");
            return null;
        }
        return $"'{script.Replace("'", "'\\''")}' restart {server} {downSeconds}";
    }

    static string? ServicesScript()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var script = Path.Combine(directory.FullName, "infra", "services.sh");
                if (File.Exists(script)) return script;
            }
        return null;
    }

    static void Print(IAnsiConsole console, ChaosResult result)
    {
        var report = result.Report;
        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]chaos run {result.RunId}, seed {report.Seed}[/]");
        table.AddColumn("check");
        table.AddColumn(new TableColumn("found").RightAligned());
        table.AddRow("faults injected", $"{report.Faults.Count} ({string.Join(", ", report.Faults.GroupBy(f => f.Kind).Select(g => $"{g.Count()} {g.Key}"))})");
        table.AddRow("run", report.Status);
        table.AddRow("groups stored / expected", $"{report.GroupsStored} / {report.GroupsExpected}");
        table.AddRow("groups lost", $"{report.GroupsLost}");
        table.AddRow("groups trained twice", $"{report.GroupsTrainedTwice}");
        table.AddRow("policy versions", $"{report.Versions} ({(report.VersionsInOrder ? "in order" : "NOT in order")})");
        table.AddRow("error-queue messages", $"{report.ErrorQueueMessages}");
        table.AddRow("replay identical", report.ReplayIdentical ? "yes" : "no");
        table.AddRow("passed", report.Passed ? "[green]yes[/]" : "[red]no[/]");
        console.Write(table);
    }
}

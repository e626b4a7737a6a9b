using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Benchmarks.Bus;
using Pipeline.Cli.Hosting;
using Pipeline.Cli.Output;
using Pipeline.Cli.Workflows;
using Pipeline.Learner.Evaluation;
using Pipeline.Learner.Runs;
using Pipeline.Orchestration;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline bench …</c>: benchmarks that measure ratios within one run on one machine, print a table
/// and write JSON.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Benchmarks; each prints a table and writes JSON with --json.");
        command.Subcommands.Add(Bus());
        command.Subcommands.Add(BenchVerifierCommand.Create());
        command.Subcommands.Add(BenchFp8Command.Create());
        command.Subcommands.Add(BenchLearnerCommand.Create());
        command.Subcommands.Add(BenchRolloutCommand.Create());
        return command;
    }

    static Command Bus()
    {
        var rollouts = new Option<int>("--rollout-workers") { Description = "Rollout worker processes.", DefaultValueFactory = _ => 1 };
        var verifiers = new Option<int>("--verifiers") { Description = "Verifier processes.", DefaultValueFactory = _ => 1 };
        var warmup = new Option<int>("--warmup-steps")
        {
            Description = "Steps of an untimed run each mode makes first, so that both timed runs start warm (0: time the first run of cold processes).",
            DefaultValueFactory = _ => 4,
        };
        var keep = new Option<bool>("--keep-checkpoints")
        {
            Description = "Keep the checkpoints of the bench's runs (by default each run's folder under Run:CheckpointDirectory is deleted at the end).",
        };
        return PipelineCommand.Create("bus",
            "End-to-end samples/s of the same run embedded and as separate services over RabbitMQ + PostgreSQL (RabbitMq:* and Storage:* " +
            "must point at a running broker and database, e.g. from `eval \"$(infra/services.sh up)\"`), with the same settings and seed and by " +
            "default the embedded topology (one rollout worker, one verifier); where the wall time went, per step, from what each run stored; and " +
            "the held-out accuracy of each.",
            [rollouts, verifiers, warmup, keep], async context =>
        {
            var configuration = context.Configuration;
            if (string.IsNullOrWhiteSpace(configuration["RabbitMq:Host"]) || !string.Equals(configuration["Storage:Provider"], "postgres", StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException("bench bus needs RabbitMq:Host and Storage:Provider=postgres (try: eval \"$(infra/services.sh up)\")");
            if (context.Get(rollouts) < 1 || context.Get(verifiers) < 1) throw new ArgumentException("--rollout-workers and --verifiers must be at least 1");
            if (context.Get(warmup) < 0) throw new ArgumentException("--warmup-steps must be 0 or more");
            var runConfig = RunSettings.From(configuration);
            runConfig = runConfig with { Run = runConfig.Run.WithAbsolutePaths() };
            // Fail in one sentence now, not after the embedded run, when the broker does not answer.
            await Broker.EnsureReachableAsync(context);
            var scratch = Directory.CreateTempSubdirectory("pipeline-bench-bus-").FullName;
            using var services = CommandServices.Build(configuration);
            context.Note($"bench bus: the run embedded first, then on {context.Get(rollouts)} rollout workers and {context.Get(verifiers)} verifiers " +
                $"over {configuration["RabbitMq:Host"]}, each after an untimed warm-up run of {context.Get(warmup)} step(s) (service logs in {scratch}/logs)");
            var result = await BusBenchmark.RunAsync(configuration, runConfig, services.GetRequiredService<PolicyEvaluator>(),
                context.Get(rollouts), context.Get(verifiers), context.Get(warmup), scratch, context.Cancellation, context.Get(keep));

            var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{runConfig.Run.Steps}×{runConfig.Run.PromptsPerBatch}×{runConfig.Run.GroupSize} samples[/]")
                .Caption(Markup.Escape($"start: run created → version 0 published; waiting: per step, the learner idle until its batch's last group arrived; " +
                    $"training: per step, batch ready → version recorded (GRPO step, checkpoint, database); end: last version → run finished. " +
                    $"Both runs drew {(result.SamePrompts ? "the same" : "DIFFERENT")} prompts" +
                    (result.WarmupSteps > 0 ? $", each after an untimed warm-up run of {result.WarmupSteps} step(s) in the same processes." : "; no warm-up: both include their processes' first calls.") +
                    CpuCaption(result)));
            foreach (var column in new[] { "mode", "samples/s", "wall s", "versions", "start s", "waiting s/step", "training s/step", "end s", "busy", "CPU s Pipeline / other", "held-out accuracy" })
                table.AddColumn(new TableColumn(column).RightAligned());
            void Row(string name, BusBenchmarkMode m) => table.AddRow(name, $"{m.SamplesPerSecond:F1}", $"{m.WallSeconds:F1}", $"{m.PolicyVersions}",
                $"{m.StartSeconds:F2}", $"{m.WaitingSecondsPerStep:F3}", $"{m.TrainingSecondsPerStep:F3}", $"{m.EndSeconds:F2}",
                m.Cpu is { } cpu ? $"{cpu.BusyFraction:P0}" : "–", m.Cpu is { } use ? $"{use.Processes.Values.Sum():F1} / {use.OtherCoreSeconds:F1}" : "–", $"{m.Accuracy:P1}");
            Row("embedded", result.Embedded);
            Row($"RabbitMQ + PostgreSQL ({result.RolloutWorkers}+{result.Verifiers})", result.Services);
            table.AddRow("ratio / difference", $"{result.Ratio:F2}", "", "", "", "", "", "", "", "", $"{result.AccuracyDifference * 100:+0.0;-0.0} pts");
            context.Out.Write(table);
            if (ThreadTable(result) is { } threads) context.Out.Write(threads);
            await context.WriteJsonAsync(result);
            return ExitCodes.Success;
        });
    }

    /// <summary>The caption's account of the CPU in each timed run: how busy the machine was and the core-seconds of
    /// each process, then of everything else.</summary>
    static string CpuCaption(BusBenchmarkResult result)
    {
        static string Of(CpuUse cpu) =>
            string.Join(", ", cpu.Processes.Select(p => $"{p.Key} {p.Value:F1}")) + $", other (broker, database, sandboxes, kernel) {cpu.OtherCoreSeconds:F1}";
        return result.Embedded.Cpu is { } embedded && result.Services.Cpu is { } services
            ? $" busy: the machine's busy share of its processors during the timed run; CPU s: core-seconds meanwhile — embedded: {Of(embedded)}; services: {Of(services)}."
            : "";
    }

    /// <summary>Core-seconds of each mode's timed run by thread name, summed over the mode's processes, so that the same
    /// work lines up: the learner's steps, the evaluator, the rollout sampler, the thread pool; then what no Pipeline
    /// process used. Null without CPU figures.</summary>
    static Table? ThreadTable(BusBenchmarkResult result)
    {
        if (result.Embedded.Cpu is not { } embedded || result.Services.Cpu is not { } services) return null;
        static Dictionary<string, double> ByName(CpuUse cpu) => cpu.Threads.Values.SelectMany(t => t)
            .GroupBy(t => t.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(t => t.Value), StringComparer.Ordinal);
        var (e, s) = (ByName(embedded), ByName(services));
        const double shown = 0.1;   // names below this in both modes are summed into one row
        var names = e.Keys.Union(s.Keys).Where(n => e.GetValueOrDefault(n) >= shown || s.GetValueOrDefault(n) >= shown)
            .OrderByDescending(n => Math.Max(e.GetValueOrDefault(n), s.GetValueOrDefault(n))).ToArray();
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]CPU core-seconds of the timed runs, by thread[/]")
            .Caption($"threads of every Pipeline process, by name, read every {CpuMeter.SamplePeriod.TotalSeconds:0.0#} s: a thread that ended loses at most that much");
        foreach (var column in new[] { "thread", "embedded", "services" }) table.AddColumn(new TableColumn(column).RightAligned());
        foreach (var name in names) table.AddRow(Markup.Escape(name), $"{e.GetValueOrDefault(name):F2}", $"{s.GetValueOrDefault(name):F2}");
        double Rest(Dictionary<string, double> byName) => byName.Where(t => !names.Contains(t.Key)).Sum(t => t.Value);
        table.AddRow("other threads", $"{Rest(e):F2}", $"{Rest(s):F2}");
        table.AddRow("not Pipeline (broker, database, kernel)", $"{embedded.OtherCoreSeconds:F2}", $"{services.OtherCoreSeconds:F2}");
        var others = embedded.OtherProcesses.Keys.Union(services.OtherProcesses.Keys)
            .Where(n => embedded.OtherProcesses.GetValueOrDefault(n) >= shown || services.OtherProcesses.GetValueOrDefault(n) >= shown)
            .OrderByDescending(n => Math.Max(embedded.OtherProcesses.GetValueOrDefault(n), services.OtherProcesses.GetValueOrDefault(n)));
        foreach (var name in others)
            table.AddRow($"  of which {Markup.Escape(name)}", $"{embedded.OtherProcesses.GetValueOrDefault(name):F2}", $"{services.OtherProcesses.GetValueOrDefault(name):F2}");
        return table;
    }
}

using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Benchmarks.Bus;
using Pipeline.Cli.Hosting;
using Pipeline.Cli.Output;
using Pipeline.Cli.Workflows;
using Pipeline.Learner.Evaluation;
using Pipeline.Learner.Runs;
using Pipeline.Orchestration;

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
        var repeats = new Option<int>("--repeats")
        {
            Description = "Timed pairs of runs (embedded, then services), one after the other; the pair of the median ratio is reported " +
                "with every pair's ratio (an odd count has a middle one).",
            DefaultValueFactory = _ => 1,
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
            [rollouts, verifiers, warmup, repeats, keep], async context =>
        {
            var configuration = context.Configuration;
            if (string.IsNullOrWhiteSpace(configuration["RabbitMq:Host"]) || !string.Equals(configuration["Storage:Provider"], "postgres", StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException("bench bus needs RabbitMq:Host and Storage:Provider=postgres (try: eval \"$(infra/services.sh up)\")");
            if (context.Get(rollouts) < 1 || context.Get(verifiers) < 1) throw new ArgumentException("--rollout-workers and --verifiers must be at least 1");
            if (context.Get(warmup) < 0) throw new ArgumentException("--warmup-steps must be 0 or more");
            if (context.Get(repeats) < 1) throw new ArgumentException("--repeats must be at least 1");
            var runConfig = RunSettings.From(configuration);
            runConfig = runConfig with { Run = runConfig.Run.WithAbsolutePaths() };
            // Fail in one sentence now, not after the embedded run, when the broker does not answer.
            await Broker.EnsureReachableAsync(context);
            var scratch = Directory.CreateTempSubdirectory("pipeline-bench-bus-").FullName;
            using var services = CommandServices.Build(configuration);
            context.Note($"bench bus: the run embedded, then on {context.Get(rollouts)} rollout workers and {context.Get(verifiers)} verifiers " +
                $"over {configuration["RabbitMq:Host"]}, {context.Get(repeats)} time(s), after an untimed warm-up run of {context.Get(warmup)} step(s) " +
                $"in each mode (service logs in {scratch}/logs)");
            var result = await BusBenchmark.RunAsync(configuration, runConfig, services.GetRequiredService<PolicyEvaluator>(),
                context.Get(rollouts), context.Get(verifiers), context.Get(warmup), scratch, context.Cancellation, context.Get(keep), context.Get(repeats));

            BusBenchmarkTables.Write(result, runConfig, context.Out);
            await context.WriteJsonAsync(result);
            return ExitCodes.Success;
        });
    }
}

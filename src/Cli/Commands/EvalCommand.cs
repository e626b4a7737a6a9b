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

/// <summary><c>pipeline eval</c>: held-out accuracy, format rate and pass@k of a checkpoint.</summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var set = CommonOptions.Set();
        var json = CommonOptions.Json();
        var checkpoint = new Option<DirectoryInfo>("--checkpoint") { Description = "The checkpoint directory (config.json + model.safetensors).", Required = true };
        var k = new Option<int>("--k") { Description = "Samples per problem for pass@k (0: greedy figures only).", DefaultValueFactory = _ => 8 };
        var command = new Command("eval", "Evaluate a checkpoint on the task's held-out split.") { config, set, json, checkpoint, k };
        command.SetAction((parse, cancellation) => CommandRunner.RunAsync(async () =>
        {
            var configuration = PipelineConfiguration.Build(parse.GetValue(config), parse.GetValue(set));
            var runConfig = RunSettings.From(configuration);
            int samples = parse.GetValue(k);
            if (samples < 0) throw new ArgumentException($"--k must be 0 or more, not {samples}");
            var directory = parse.GetValue(checkpoint)!.FullName;
            using var services = CommandServices.Build(configuration);
            using var policy = Checkpoint.Load(directory);
            var score = services.GetRequiredService<PolicyEvaluator>().Evaluate(policy, TaskSources.For(runConfig).HeldOut, samples, runConfig.Run.MaxTokens, runConfig.Run.Seed);
            var passAtK = samples > 0 ? $", pass@{samples} {score.PassAtK:P1}" : "";
            AnsiConsole.MarkupLineInterpolated($"{directory}: {score.Problems} held-out problems, accuracy {score.Accuracy:P1}, format {score.FormatRate:P1}{passAtK}");
            await JsonResults.WriteAsync(parse.GetValue(json), new
            {
                Checkpoint = directory,
                score.Problems,
                score.Accuracy,
                score.FormatRate,
                PassAtK = JsonResults.Finite(score.PassAtK),
                score.K,
            });
            return 0;
        }));
        return command;
    }
}

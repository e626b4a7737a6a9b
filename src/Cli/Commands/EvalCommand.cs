using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Cli.Hosting;
using Pipeline.Cli.Output;
using Pipeline.Cli.Workflows;
using Pipeline.Learner.Evaluation;
using Pipeline.Learner.Runs;
using Pipeline.Orchestration;
using Pipeline.Policy.Checkpoints;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline eval</c>: held-out accuracy, format rate and pass@k of a checkpoint.</summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<DirectoryInfo>("--checkpoint") { Description = "The checkpoint directory (config.json + model.safetensors).", Required = true };
        var k = new Option<int>("--k") { Description = "Samples per problem for pass@k (0: greedy figures only).", DefaultValueFactory = _ => 8 };
        return PipelineCommand.Create("eval", "Evaluate a checkpoint on the task's held-out split.", [checkpoint, k], async context =>
        {
            var runConfig = RunSettings.From(context.Configuration);
            int samples = context.Get(k);
            if (samples < 0) throw new ArgumentException($"--k must be 0 or more, not {samples}");
            var directory = context.Get(checkpoint)!.FullName;
            using var services = CommandServices.Build(context.Configuration);
            using var policy = Checkpoint.Load(directory);
            var score = await ProgressDisplay.EvaluateAsync(services.GetRequiredService<PolicyEvaluator>(), policy, TaskSources.For(runConfig).HeldOut,
                samples, runConfig.Run.MaxTokens, runConfig.Run.Seed, cancellationToken: context.Cancellation);
            var passAtK = samples switch
            {
                0 => "",
                1 => $", pass@1 {score.PassAtK:P1}",
                _ => $", pass@1 {score.PassAt1:P1}, pass@{samples} {score.PassAtK:P1}",
            };
            context.Out.MarkupLineInterpolated($"{directory}: {score.Problems} held-out problems, accuracy {score.Accuracy:P1}, format {score.FormatRate:P1}{passAtK}");
            await context.WriteJsonAsync(new Dictionary<string, object?>
            {
                ["checkpoint"] = directory,
                ["problems"] = score.Problems,
                ["accuracy"] = score.Accuracy,
                ["format_rate"] = score.FormatRate,
                ["pass_at_k"] = JsonResults.Finite(score.PassAtK),
                ["pass_at_1"] = JsonResults.Finite(score.PassAt1),
                ["k"] = score.K,
                ["mean_completion_tokens"] = JsonResults.Finite(score.MeanCompletionTokens),
                ["self_verification_rate"] = JsonResults.Finite(score.SelfVerificationRate),
                ["verdicts"] = score.Verdicts,
            });
            return ExitCodes.Success;
        });
    }
}

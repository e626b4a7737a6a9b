using Microsoft.Extensions.Configuration;
using Pipeline.Hosting;
using Pipeline.Policy;
using Pipeline.Policy.Checkpoints;
using Pipeline.Policy.Fp8;
using Pipeline.Policy.Model;
using Pipeline.Policy.Training;
using Pipeline.Tasks;
using Spectre.Console;

namespace Pipeline.Cli.Workflows;

/// <summary>What pretraining produced.</summary>
public sealed record PretrainSummary(int Steps, double FinalLoss, double Seconds, long Parameters, string Checkpoint, string Sha256);

/// <summary>Builds the base policy: next-token training on the task's synthetic corpus, with a progress bar.</summary>
public static class BasePolicyTraining
{
    /// <summary>The "Pretrain" section, its <see cref="PretrainOptions.Precision"/> made the machine's training precision
    /// as a GRPO run's is (<see cref="PolicyOptions.TrainingPrecision"/>: FP32 becomes BF16 mixed precision where
    /// Policy:ComputeDtype is, or auto picks, bfloat16), unless <paramref name="precision"/> is given.</summary>
    public static PretrainOptions Options(IConfiguration configuration, LinearPrecision? precision = null)
    {
        var options = OptionsBinding.Bind<PretrainOptions>(configuration, PretrainOptions.Section);
        options.Precision = precision ?? OptionsBinding.Bind<PolicyOptions>(configuration, PolicyOptions.Section).TrainingPrecision(options.Precision);
        return options;
    }

    /// <param name="corpus">the task's corpus (<see cref="PretrainingCorpus.For"/>)</param>
    public static async Task<PretrainSummary> RunAsync(PretrainOptions options, PretrainingCorpus corpus,
        string directory, CancellationToken cancellation)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        double lastLoss = double.NaN;
        CausalLm? policy = null;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var bar = context.AddTask("pretraining the base policy", maxValue: options.Steps);
                policy = await Task.Run(() => new Pretrainer(options).Train(corpus.Problems, corpus.Sample, p =>
                {
                    lastLoss = p.Loss;
                    bar.Value = p.Step;
                    bar.Description = $"pretraining: loss {p.Loss:F3}, {p.TokensPerSecond:F0} tokens/s";
                }, cancellation), cancellation);
            });
        using var trained = policy!;
        var sha = Checkpoint.Save(trained, directory);
        long parameters = trained.parameters().Sum(p => p.numel());
        AnsiConsole.MarkupLineInterpolated($"Base policy: {parameters:N0} parameters, final loss {lastLoss:F3}, {clock.Elapsed.TotalSeconds:F0} s → [bold]{directory}[/]");
        return new PretrainSummary(options.Steps, lastLoss, clock.Elapsed.TotalSeconds, parameters, Path.GetFullPath(directory), sha);
    }
}

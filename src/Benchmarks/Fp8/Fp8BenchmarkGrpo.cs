using Microsoft.Extensions.Configuration;
using Pipeline.Learner.Evaluation;
using Pipeline.Learner.Runs;
using Pipeline.Orchestration;
using Pipeline.Policy.Checkpoints;
using Pipeline.Tasks;

namespace Pipeline.Benchmarks.Fp8;

/// <summary>The GRPO part of <c>pipeline bench fp8</c>: the same run (settings: Run, Grpo, Rewards) twice from one
/// base policy, with the learner's linear layers in FP32 and in FP8, each in its own embedded host (in-memory bus,
/// SQLite in the scratch directory); the held-out greedy accuracy of both final policies against the base's.</summary>
public static class Fp8BenchmarkGrpo
{
    /// <param name="steps">GRPO steps of each run, or null for the Run:Steps setting</param>
    public static async Task<Fp8Grpo> RunAsync(IConfiguration configuration, string basePolicy, double baseAccuracy,
        IReadOnlyList<Problem> heldOut, PolicyEvaluator evaluator, int? steps, string scratch, Action<string> log,
        CancellationToken cancellation)
    {
        var fp32 = await Train("fp32");
        var fp8 = await Train("fp8");
        return new Fp8Grpo(fp32.Steps, baseAccuracy, fp32.Accuracy, fp8.Accuracy,
            fp32.Accuracy - baseAccuracy, fp8.Accuracy - baseAccuracy, fp8.Accuracy - fp32.Accuracy,
            fp32.Seconds, fp8.Seconds, heldOut.Count);

        async Task<(int Steps, double Accuracy, double Seconds)> Train(string precision)
        {
            var directory = Path.Combine(scratch, $"grpo-{precision}");
            var overrides = new Dictionary<string, string?>
            {
                ["Grpo:Precision"] = precision,
                ["Run:Name"] = $"bench-fp8-grpo-{precision}",
                ["Run:BasePolicy"] = basePolicy,
                ["Run:CheckpointDirectory"] = Path.Combine(directory, "checkpoints"),
                ["RabbitMq:Host"] = "",
                ["Storage:Provider"] = "sqlite",
                ["Storage:ConnectionString"] = $"Data Source={Path.Combine(directory, "runs.db")}",
            };
            if (steps is { } n) overrides["Run:Steps"] = n.ToString();
            var settings = new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(overrides).Build();
            var config = RunSettings.From(settings);
            log($"GRPO with {precision.ToUpperInvariant()} learner GEMMs: {config.Run.Steps} steps of " +
                $"{config.Run.PromptsPerBatch}×{config.Run.GroupSize}");
            var outcome = (await EmbeddedRun.RunAsync(settings, config, null, null, cancellation)).Outcome;
            using var policy = Checkpoint.Load(outcome.FinalCheckpoint);
            double accuracy = (await evaluator.EvaluateAsync(policy, heldOut, 0, config.Run.MaxTokens, cancellationToken: cancellation)).Accuracy;
            log($"GRPO {precision.ToUpperInvariant()}: held-out accuracy {accuracy:P1} after {outcome.PolicyVersions} versions, {outcome.WallSeconds:F0} s");
            return (config.Run.Steps, accuracy, outcome.WallSeconds);
        }
    }
}

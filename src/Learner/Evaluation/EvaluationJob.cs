using Microsoft.Extensions.Options;
using Pipeline.Data.Stores;
using Pipeline.Learner.Runs;
using Pipeline.Policy;
using Pipeline.Policy.Checkpoints;

namespace Pipeline.Learner.Evaluation;

/// <summary>Hangfire job: held-out evaluation of one published policy version, stored with the run (in
/// <c>evaluations</c>, and as the metrics <c>eval/accuracy</c>, <c>eval/format_rate</c> and, with k &gt; 0,
/// <c>eval/pass@k</c> at step = the policy version). Runs in the background so training never waits for it.</summary>
public sealed class EvaluationJob(RunStore runs, PolicyVersionStore versions, EvaluationStore evaluations, MetricStore metrics,
    PolicyEvaluator evaluator, IOptions<PolicyOptions> placement, IEnumerable<IRunObserver> observers)
{
    public const string Split = "held-out";

    public async Task RunAsync(Guid runId, int version, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(runId, cancellationToken) ?? throw new KeyNotFoundException($"run {runId} does not exist");
        var published = await versions.GetAsync(runId, version, cancellationToken)
            ?? throw new KeyNotFoundException($"run {runId} has no policy version {version}");
        var config = RunSettings.FromJson(run.ConfigJson);
        using var policy = placement.Value.ForInference(Checkpoint.Load(CheckpointUris.ToPath(published.CheckpointUri), published.Sha256));
        var score = await evaluator.EvaluateAsync(policy, TaskSources.For(config).HeldOut, config.Run.EvaluationK, config.Run.MaxTokens, config.Run.Seed,
            cancellationToken: cancellationToken);
        await evaluations.AddAsync(new EvaluationResult
        {
            RunId = runId,
            PolicyVersion = version,
            Split = Split,
            Accuracy = score.Accuracy,
            FormatRate = score.FormatRate,
            PassAtK = double.IsNaN(score.PassAtK) ? 0 : score.PassAtK,
            K = score.K,
        }, cancellationToken);
        await metrics.AppendStepAsync(runId, version, EvaluationMetrics.Of(score), cancellationToken);
        foreach (var observer in observers) observer.OnEvaluation(runId, version, score);
    }
}

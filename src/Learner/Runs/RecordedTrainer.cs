using Pipeline.Data.Entities;
using Pipeline.Learner.Training;
using Pipeline.Policy;
using Pipeline.Policy.Checkpoints;
using Pipeline.Policy.Model;

namespace Pipeline.Learner.Runs;

/// <summary>The learner's trainer for a run: new from a policy, or exactly as it was at a recorded version — its FP32
/// weights (hash-checked) and the AdamW state written beside them — which a resumed run and a replay with
/// <c>--from-version</c> continue from. The frozen reference is always the run's base policy. Both go where
/// <paramref name="placement"/> says: the trained policy in FP32, the reference in the compute dtype.</summary>
public static class RecordedTrainer
{
    public static GrpoTrainer New(CausalLm policy, RunSettings config, PolicyOptions placement, string? baseSha256 = null)
    {
        placement.ForTraining(policy);
        var reference = config.Grpo.Beta > 0 ? placement.ForInference(Checkpoint.Load(config.Run.BasePolicy, baseSha256)) : null;
        return new GrpoTrainer(policy, reference, config.Grpo, config.Run.MaxTokens, config.Run.Temperature);
    }

    /// <exception cref="InvalidDataException">The version was written in FP8 (no master weights) or without its
    /// optimizer state: training cannot continue from it exactly.</exception>
    public static GrpoTrainer AtVersion(PolicyVersion version, RunSettings config, PolicyOptions placement, string? baseSha256)
    {
        var directory = CheckpointUris.ToPath(version.CheckpointUri);
        if (Checkpoint.FormatOf(directory) != CheckpointFormat.Fp32)
            throw new InvalidDataException($"version {version.Version} of run {version.RunId} is stored in FP8, without master weights: training cannot continue from it exactly");
        var optimizerState = Path.Combine(directory, Checkpoint.OptimizerFile);
        if (!File.Exists(optimizerState))
            throw new InvalidDataException($"version {version.Version} of run {version.RunId} has no optimizer state ({optimizerState}): training cannot continue from it exactly");
        var trainer = New(Checkpoint.Load(directory, version.Sha256, placement.TrainingPrecision(config.Grpo.Precision)), config, placement, baseSha256);
        trainer.LoadOptimizerState(optimizerState);
        return trainer;
    }
}

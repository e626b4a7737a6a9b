namespace Pipeline.Learner.Training;

/// <summary>Where a step's time went, in seconds (verl's <c>timing_s/…</c>): the rollout worker sampling the batch,
/// the verifiers scoring its groups (summed over groups, which are scored concurrently), the learner's GRPO update,
/// and writing and recording the new version. Generation and scoring are 0 when unknown (a replay reads stored groups).</summary>
public sealed record StepTiming(double Generate, double Score, double Learn, double Publish);

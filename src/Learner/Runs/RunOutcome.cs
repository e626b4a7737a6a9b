namespace Pipeline.Learner.Runs;

/// <summary>How a run ended: the last policy version and where its checkpoint lies.</summary>
public sealed record RunOutcome(Guid RunId, int PolicyVersions, int FinalVersion, string FinalCheckpoint, int StaleBatches, double WallSeconds);

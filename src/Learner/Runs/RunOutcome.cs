namespace Pipeline.Learner.Runs;

/// <summary>How a run ended. <see cref="PolicyVersions"/> counts the versions training produced (the base policy is
/// version 0 and not counted); a batch whose groups all had equal rewards produces none.</summary>
public sealed record RunOutcome(Guid RunId, int PolicyVersions, int FinalVersion, string FinalCheckpoint, int StaleBatches, double WallSeconds);

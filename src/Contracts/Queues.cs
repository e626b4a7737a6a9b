namespace Pipeline.Contracts;

/// <summary>Queue names that are part of the wire contract: commands are sent to these, and the consuming
/// services name their receive endpoints after them.</summary>
public static class Queues
{
    /// <summary>Where <see cref="GenerateRollouts"/> is sent; every rollout worker consumes from it (competing consumers).</summary>
    public const string GenerateRollouts = "generate-rollouts";

    /// <summary>Where <see cref="StartRun"/> is sent; the learner consumes from it.</summary>
    public const string StartRun = "start-run";
}

using Pipeline.Learner.Grpo;

namespace Pipeline.Learner.Training;

/// <summary>What one GRPO step did: whether the weights changed (a batch whose groups all had equal rewards
/// gives dynamic sampling nothing to learn from) and the figures a run's curves are drawn from.</summary>
public sealed record StepResult
{
    public required bool Updated { get; init; }
    public required double MeanReward { get; init; }
    public required double Accuracy { get; init; }
    public required double FormatRate { get; init; }
    public required int GroupsUsed { get; init; }
    public required int GroupsDropped { get; init; }

    /// <summary>The positions, in the step's input, of the groups dynamic sampling dropped.</summary>
    public IReadOnlyList<int> Dropped { get; init; } = [];

    /// <summary>Reward spread, per-component rewards and zero-variance groups over the whole batch.</summary>
    public BatchRewards? Rewards { get; init; }

    /// <summary>Completion lengths over the whole batch.</summary>
    public CompletionLengths? Lengths { get; init; }
    public double Loss { get; init; }
    public double? Kl { get; init; }
    public double ClipFraction { get; init; }

    /// <summary>Clip fractions and the learner-vs-rollout ratio statistics of the update (null without one).</summary>
    public PolicyLossStats? LossStats { get; init; }

    /// <summary>Mean entropy (nats) of the policy's next-token distribution over the trained completion tokens.</summary>
    public double? Entropy { get; init; }
    public double GradNorm { get; init; }
    public long CompletionTokens { get; init; }

    /// <summary>Where the update's time went (null without one).</summary>
    public StepPhases? Phases { get; init; }
    public double Seconds { get; init; }
}

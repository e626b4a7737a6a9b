using Pipeline.Contracts;

namespace Pipeline.Learner.Training;

/// <summary>What a batch's completions earned, averaged over every completion of every group before dynamic
/// sampling drops any and without the overlong penalty: the verifier's view of the policy, which is what a run's
/// reward curves should show, not what the step happened to train on.</summary>
public sealed record BatchRewards(double MeanReward, double Accuracy, double FormatRate)
{
    public static BatchRewards Of(IReadOnlyList<RolloutGroupScored> groups)
    {
        var all = groups.SelectMany(g => g.Scores).ToArray();
        return new BatchRewards(
            all.Average(s => s.Reward),
            all.Average(s => s.Components.GetValueOrDefault(RewardComponents.Accuracy)),
            all.Average(s => s.Components.GetValueOrDefault(RewardComponents.Format)));
    }
}

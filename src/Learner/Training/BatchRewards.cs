using Pipeline.Contracts;

namespace Pipeline.Learner.Training;

/// <summary>What a batch's completions earned, averaged over every completion of every group before dynamic
/// sampling drops any and without the overlong penalty: the verifier's view of the policy, which is what a run's
/// reward curves should show, not what the step happened to train on.</summary>
/// <param name="RewardStd">the population standard deviation of every completion's reward</param>
/// <param name="Components">each reward component's mean and population standard deviation over every completion (a
/// completion without the component counts as 0)</param>
/// <param name="FractionZeroStd">the share of groups whose rewards are all equal (TRL's
/// <c>frac_reward_zero_std</c>): groups with no signal, whatever dynamic sampling then does with them</param>
public sealed record BatchRewards(double MeanReward, double Accuracy, double FormatRate)
{
    public double RewardStd { get; init; }
    public IReadOnlyDictionary<string, (double Mean, double Std)> Components { get; init; } = new Dictionary<string, (double, double)>();
    public double FractionZeroStd { get; init; }

    public static BatchRewards Of(IReadOnlyList<RolloutGroupScored> groups)
    {
        var all = groups.SelectMany(g => g.Scores).ToArray();
        var keys = all.SelectMany(s => s.Components.Keys).Distinct().Order(StringComparer.Ordinal);
        return new BatchRewards(
            all.Average(s => s.Reward),
            all.Average(s => s.Components.GetValueOrDefault(RewardComponents.Accuracy)),
            all.Average(s => s.Components.GetValueOrDefault(RewardComponents.Format)))
        {
            RewardStd = Std(all.Select(s => s.Reward).ToArray()),
            Components = keys.ToDictionary(k => k, k =>
            {
                var values = all.Select(s => s.Components.GetValueOrDefault(k)).ToArray();
                return (values.Average(), Std(values));
            }),
            FractionZeroStd = groups.Count(g => g.Scores.Select(s => s.Reward).Distinct().Count() <= 1) / (double)groups.Count,
        };
    }

    static double Std(double[] values)
    {
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
    }
}

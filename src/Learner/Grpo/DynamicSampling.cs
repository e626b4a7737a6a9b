namespace Pipeline.Learner.Grpo;

/// <summary>
/// DAPO's dynamic sampling (Yu et al. 2025, §3.2): a group whose completions all earned the same reward has zero
/// advantage everywhere, contributes no gradient and only shrinks the effective batch, so it is dropped. A
/// single-completion group counts as all-equal. Rewards are compared exactly: they come from rules, and any
/// real difference, however small, is a (weak) signal the advantage step already damps with its ε.
/// </summary>
public static class DynamicSampling
{
    /// <summary>True when the rewards differ, i.e. the group carries a learning signal.</summary>
    public static bool HasSignal(IReadOnlyList<double> rewards)
    {
        for (var i = 1; i < rewards.Count; i++)
        {
            if (rewards[i] != rewards[0])
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The groups that carry a signal, in their original order.</summary>
    public static IReadOnlyList<TGroup> Keep<TGroup>(IEnumerable<TGroup> groups, Func<TGroup, IReadOnlyList<double>> rewardsOf) =>
        groups.Where(group => HasSignal(rewardsOf(group))).ToList();

    /// <summary>The reward groups that carry a signal, in their original order.</summary>
    public static IReadOnlyList<IReadOnlyList<double>> Keep(IEnumerable<IReadOnlyList<double>> groups) =>
        Keep(groups, group => group);
}

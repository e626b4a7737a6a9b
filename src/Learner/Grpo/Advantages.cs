namespace Pipeline.Learner.Grpo;

/// <summary>
/// Group-relative advantages of GRPO (DeepSeekMath §4.1.2, outcome supervision): every completion of a prompt
/// is scored against the mean of its own group, <c>(r − mean) / (std + ε)</c>, and every token of the completion
/// gets that one value.
/// <para>
/// The standard deviation is the unbiased one (divides by n − 1), as TRL's <c>torch.std</c>; DeepSeekMath does
/// not say which. ε = 1e-4 as in TRL: large enough that a group whose rewards differ only by rounding noise is
/// not blown up to unit advantages, small enough to be invisible next to a real 0/1 reward spread.
/// </para>
/// <para>
/// <see cref="AdvantageScale.Batch"/> keeps the mean per group but divides by the standard deviation of all
/// rewards in the batch ("Tricks or Traps? A Deep Dive into RL for LLM Reasoning", Liu et al. 2025, Lite PPO);
/// <see cref="AdvantageScale.None"/> is Dr. GRPO's unscaled <c>r − mean</c>.
/// </para>
/// <para>
/// A group with a single completion, or whose rewards are all equal, has no signal and gets exact zeros rather
/// than whatever rounding in the mean would leave behind.
/// </para>
/// </summary>
public static class Advantages
{
    public const double Epsilon = 1e-4;

    /// <summary>Advantages for each group of rewards, in the same order and shape.</summary>
    public static double[][] Compute(IReadOnlyList<IReadOnlyList<double>> groups, AdvantageScale scale)
    {
        foreach (var group in groups)
        {
            foreach (var reward in group)
            {
                if (!double.IsFinite(reward))
                {
                    throw new ArgumentException($"Reward {reward} is not a finite number.", nameof(groups));
                }
            }
        }

        var batchStd = scale == AdvantageScale.Batch ? SampleStd(groups.SelectMany(g => g).ToArray()) : 0.0;
        return groups.Select(group => ForGroup(group, scale, batchStd)).ToArray();
    }

    static double[] ForGroup(IReadOnlyList<double> rewards, AdvantageScale scale, double batchStd)
    {
        if (!DynamicSampling.HasSignal(rewards))
        {
            return new double[rewards.Count];
        }

        var mean = rewards.Average();
        var divisor = scale switch
        {
            AdvantageScale.Group => SampleStd(rewards) + Epsilon,
            AdvantageScale.Batch => batchStd + Epsilon,
            AdvantageScale.None => 1.0,
            _ => throw new ArgumentOutOfRangeException(nameof(scale), scale, "Unknown advantage scale."),
        };
        return rewards.Select(r => (r - mean) / divisor).ToArray();
    }

    static double SampleStd(IReadOnlyList<double> values)
    {
        if (values.Count < 2)
        {
            return 0.0;
        }

        var mean = values.Average();
        var squares = values.Sum(v => (v - mean) * (v - mean));
        return Math.Sqrt(squares / (values.Count - 1));
    }
}

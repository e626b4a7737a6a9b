using System.ComponentModel;

namespace Pipeline.Learner.Grpo;

/// <summary>What a group-relative advantage <c>r − mean(group)</c> is divided by.</summary>
[TypeConverter(typeof(ConfigEnumConverter))]
public enum AdvantageScale
{
    /// <summary>Each group's own standard deviation, as in DeepSeekMath's GRPO.</summary>
    Group,

    /// <summary>
    /// The standard deviation of every reward in the batch, while the mean stays per group: the
    /// "Tricks or Traps" (Lite PPO) combination, which keeps the group baseline but stops a nearly
    /// uniform group from having its tiny differences blown up to unit scale.
    /// </summary>
    Batch,

    /// <summary>No division at all, as Dr. GRPO recommends to remove the question-difficulty bias.</summary>
    None,
}

using Pipeline.Contracts;
using Pipeline.Learner.Grpo;
using Pipeline.Policy.Tokenization;

namespace Pipeline.Learner.Training;

/// <summary>
/// The rows one GRPO step trains on, one per completion of every kept group, in group order and, within a group,
/// in completion <see cref="Completion.Index"/> order: the prompt's tokens, the completion's tokens, the behaviour
/// log-probs the rollout worker recorded for them, and the completion's advantage. Plain arrays, no tensors, so that
/// what goes into a step can be checked by hand.
/// </summary>
public sealed record TrainingBatch(
    IReadOnlyList<int[]> Prompts,
    IReadOnlyList<int[]> Completions,
    IReadOnlyList<float[]> BehaviourLogProbs,
    float[] Advantages,
    int GroupsUsed,
    IReadOnlyList<int> Dropped)
{
    /// <summary>How many groups dynamic sampling dropped (their positions in the input are <see cref="Dropped"/>).</summary>
    public int GroupsDropped => Dropped.Count;

    /// <summary>True when no group was kept: there is nothing to learn from.</summary>
    public bool IsEmpty => GroupsUsed == 0;

    /// <summary>
    /// Rewards with the overlong penalty, then dynamic sampling (when <see cref="GrpoOptions.DynamicSampling"/>),
    /// then group-relative advantages over the kept groups only — so that the batch scale of
    /// <see cref="AdvantageScale.Batch"/> is not diluted by the dropped groups' rewards.
    /// </summary>
    /// <param name="maxTokens">the run's completion-token budget, which the overlong penalty ramps up to</param>
    /// <param name="tokens">the policy's tokenization of the prompts' text</param>
    public static TrainingBatch Build(IReadOnlyList<RolloutGroupScored> groups, GrpoOptions options, int maxTokens, PromptTokens tokens)
    {
        var (scored, kept, advantages) = Keep(groups, options, maxTokens);

        var prompts = new List<int[]>();
        var completions = new List<int[]>();
        var behaviour = new List<float[]>();
        var rowAdvantages = new List<float>();
        for (int k = 0; k < kept.Count; k++)
        {
            var promptTokens = tokens.ForRenderedPrompt(kept[k].Group.Prompt.Text);
            int position = 0;
            foreach (var completion in kept[k].Group.Completions.OrderBy(c => c.Index))
            {
                prompts.Add(promptTokens);
                completions.Add(PackedArrays.UnpackInts(completion.TokenIds));
                behaviour.Add(PackedArrays.UnpackFloats(completion.LogProbs));
                rowAdvantages.Add((float)advantages[k][position++]);
            }
        }
        var dropped = scored.Select(s => s.Position).Except(kept.Select(s => s.Position)).ToArray();
        return new TrainingBatch(prompts, completions, behaviour, [.. rowAdvantages], kept.Count, dropped);
    }

    /// <summary>
    /// The advantage <see cref="Build"/> gives each completion, by input group: the group's advantages in completion
    /// <see cref="Completion.Index"/> order as the step trains on them (float), or null for a group dynamic sampling
    /// drops. The same computation as <see cref="Build"/>, without the token rows: for looking back at what a step did.
    /// </summary>
    public static IReadOnlyList<float[]?> AdvantagesByGroup(IReadOnlyList<RolloutGroupScored> groups, GrpoOptions options, int maxTokens)
    {
        var (scored, kept, advantages) = Keep(groups, options, maxTokens);
        var byGroup = new float[]?[scored.Length];
        for (int k = 0; k < kept.Count; k++)
            byGroup[kept[k].Position] = advantages[k].Select(a => (float)a).ToArray();
        return byGroup;
    }

    /// <summary>Every group's rewards, the groups dynamic sampling keeps, and the kept groups' advantages.</summary>
    static (Scored[] Scored, IReadOnlyList<Scored> Kept, double[][] Advantages) Keep(IReadOnlyList<RolloutGroupScored> groups, GrpoOptions options, int maxTokens)
    {
        var scored = groups.Select((group, position) => new Scored(position, group, Rewards(group, options, maxTokens))).ToArray();
        var kept = options.DynamicSampling ? DynamicSampling.Keep(scored, s => s.Rewards) : scored;
        var advantages = Grpo.Advantages.Compute(kept.Select(s => s.Rewards).ToArray(), options.AdvantageScale);
        return (scored, kept, advantages);
    }

    /// <summary>The group's rewards in completion-index order (scores may arrive in any order), each plus the
    /// overlong penalty for its completion's length: the penalty is part of the reward the advantage sees.</summary>
    public static IReadOnlyList<double> Rewards(RolloutGroupScored group, GrpoOptions options, int maxTokens)
    {
        var byIndex = group.Scores.ToDictionary(s => s.Index);
        return group.Completions.OrderBy(c => c.Index).Select(c =>
        {
            int tokens = c.TokenIds.Length / sizeof(int);
            return byIndex[c.Index].Reward + OverlongPenalty.Compute(tokens, maxTokens, options);
        }).ToArray();
    }

    sealed record Scored(int Position, RolloutGroupScored Group, IReadOnlyList<double> Rewards);
}

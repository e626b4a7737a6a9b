using System.Diagnostics;
using Pipeline.Contracts;
using Pipeline.Learner.Grpo;
using Pipeline.Policy.Model;
using Pipeline.Policy.Tokenization;
using static TorchSharp.torch;

namespace Pipeline.Learner.Training;

/// <summary>One GRPO step on a batch of scored groups (DeepSeekMath §4.1): dynamic sampling, group-relative
/// advantages, the clipped surrogate against the rollouts' behaviour log-probs with a KL term to the frozen
/// reference policy, gradient clipping, AdamW. Owns the trained policy, its reference and the optimizer.</summary>
public sealed class GrpoTrainer : IDisposable
{
    readonly CausalLm _policy;
    readonly CausalLm? _reference;
    readonly GrpoOptions _options;
    readonly int _maxTokens;
    readonly float _temperature;
    readonly optim.Optimizer _optimizer;

    /// <param name="reference">the frozen reference policy; may be null only when β = 0</param>
    /// <param name="temperature">the sampling temperature: log-probs are recomputed under the same distribution</param>
    public GrpoTrainer(CausalLm policy, CausalLm? reference, GrpoOptions options, int maxTokens, float temperature)
    {
        if (options.Beta > 0 && reference is null) throw new ArgumentException("a reference policy is required when Grpo:Beta > 0");
        _policy = policy;
        _reference = reference;
        _options = options;
        _maxTokens = maxTokens;
        _temperature = temperature > 0 ? temperature : 1f;
        _policy.train();
        _reference?.eval();
        _optimizer = optim.AdamW(policy.parameters(), options.LearningRate, options.AdamBeta1, options.AdamBeta2, weight_decay: options.WeightDecay);
    }

    public CausalLm Policy => _policy;

    public StepResult Step(IReadOnlyList<RolloutGroupScored> groups)
    {
        var clock = Stopwatch.StartNew();
        var all = groups.SelectMany(g => g.Scores).ToArray();
        double meanReward = all.Average(s => s.Reward);
        double accuracy = all.Average(s => s.Components.GetValueOrDefault("accuracy"));
        double format = all.Average(s => s.Components.GetValueOrDefault("format"));

        var rewards = groups.Select(Rewards).ToArray();
        var kept = Enumerable.Range(0, groups.Count)
            .Where(i => !_options.DynamicSampling || DynamicSampling.HasSignal(rewards[i])).ToArray();
        var result = new StepResult
        {
            Updated = false, MeanReward = meanReward, Accuracy = accuracy, FormatRate = format,
            GroupsUsed = kept.Length, GroupsDropped = groups.Count - kept.Length,
        };
        if (kept.Length == 0) return result with { Seconds = clock.Elapsed.TotalSeconds };

        var advantages = Advantages.Compute(kept.Select(i => (IReadOnlyList<double>)rewards[i]).ToArray(), _options.AdvantageScale);
        var prompts = new List<int[]>();
        var completions = new List<int[]>();
        var behaviour = new List<float[]>();
        var flatAdvantages = new List<float>();
        for (int k = 0; k < kept.Length; k++)
        {
            var group = groups[kept[k]];
            var promptTokens = PromptTokens.ForRenderedPrompt(group.Prompt.Text);
            int position = 0;
            foreach (var completion in group.Completions.OrderBy(c => c.Index))
            {
                prompts.Add(promptTokens);
                completions.Add(PackedArrays.UnpackInts(completion.TokenIds));
                behaviour.Add(PackedArrays.UnpackFloats(completion.LogProbs));
                flatAdvantages.Add((float)advantages[k][position++]);
            }
        }

        using var scope = NewDisposeScope();
        using var layout = TokenLayout.Build(prompts, completions, _policy.Config.PadTokenId);
        var behaviourLogProbs = Padded(behaviour, layout.CompletionLength);
        Tensor? referenceLogProbs = null;
        if (_options.Beta > 0)
        {
            using var noGrad = no_grad();
            referenceLogProbs = SequenceLogProbs.Compute(_reference!, layout, _temperature);
        }
        _optimizer.zero_grad();
        var logProbs = SequenceLogProbs.Compute(_policy, layout, _temperature);
        var loss = PolicyLoss.Compute(logProbs, behaviourLogProbs, referenceLogProbs, tensor(flatAdvantages.ToArray()),
            layout.CompletionMask, _options, _maxTokens);
        loss.Loss.backward();
        double gradNorm = nn.utils.clip_grad_norm_(_policy.parameters(), _options.MaxGradNorm);
        _optimizer.step();

        return result with
        {
            Updated = true,
            Loss = loss.Loss.item<float>(),
            Kl = loss.Stats.MeanKl,
            ClipFraction = loss.Stats.ClipFraction,
            GradNorm = gradNorm,
            CompletionTokens = loss.Stats.TokenCount,
            Seconds = clock.Elapsed.TotalSeconds,
        };
    }

    IReadOnlyList<double> Rewards(RolloutGroupScored group)
    {
        var byIndex = group.Scores.ToDictionary(s => s.Index);
        return group.Completions.OrderBy(c => c.Index).Select(c =>
        {
            double reward = byIndex[c.Index].Reward;
            int tokens = c.TokenIds.Length / sizeof(int);
            return reward + OverlongPenalty.Compute(tokens, _maxTokens, _options.OverlongBuffer, _options.OverlongPenaltyFactor);
        }).ToArray();
    }

    static Tensor Padded(List<float[]> rows, int width)
    {
        var values = new float[rows.Count * width];
        for (int r = 0; r < rows.Count; r++) rows[r].AsSpan(0, Math.Min(width, rows[r].Length)).CopyTo(values.AsSpan(r * width));
        return tensor(values, [rows.Count, width]);
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _reference?.Dispose();
    }
}

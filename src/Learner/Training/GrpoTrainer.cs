using System.Diagnostics;
using Pipeline.Contracts;
using Pipeline.Learner.Grpo;
using Pipeline.Policy;
using Pipeline.Policy.Model;
using Pipeline.Policy.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Learner.Training;

/// <summary>
/// GRPO (DeepSeekMath §4.1): for each prompt a group of sampled completions, each completion's advantage its
/// reward relative to its group's, and the clipped surrogate objective with a KL term to a frozen reference policy.
/// Owns the trained policy, its reference and the optimizer.
/// <para>
/// Deviations from DeepSeekMath §4.1, all deliberate: the importance ratio is taken against the behaviour log-probs
/// the rollout worker recorded, because rollouts arrive asynchronously and may be a few policy versions old; one
/// gradient step per batch rather than μ inner iterations, since the next batch is already being sampled; the
/// reference policy stays frozen (no iterative reset); and DAPO's additions — dynamic sampling, the soft overlong
/// penalty, clip-higher and token-level aggregation — are on by default (see <see cref="GrpoOptions"/>).
/// </para>
/// </summary>
public sealed class GrpoTrainer : IDisposable
{
    readonly CausalLm _policy;
    readonly CausalLm? _reference;
    readonly GrpoOptions _options;
    readonly int _maxTokens;
    readonly float _temperature;
    readonly TorchSharp.Modules.AdamW _optimizer;

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

    /// <summary>AdamW's step size (constant: no schedule).</summary>
    public double LearningRate => _options.LearningRate;

    /// <summary>Writes AdamW's state (step counts, first and second moments) in TorchSharp's format, so that training
    /// can continue from a checkpoint exactly as if it had not stopped.</summary>
    public void SaveOptimizerState(string path) => _optimizer.save_state_dict(path);

    /// <summary>Restores what <see cref="SaveOptimizerState"/> wrote, for the same parameters.</summary>
    public void LoadOptimizerState(string path) => _optimizer.load_state_dict(path);

    /// <summary>One update on a batch of scored groups; no update when dynamic sampling keeps no group.</summary>
    public StepResult Step(IReadOnlyList<RolloutGroupScored> groups)
    {
        var clock = Stopwatch.StartNew();
        var rewards = BatchRewards.Of(groups);
        var batch = TrainingBatch.Build(groups, _options, _maxTokens, _policy.Prompts);
        var result = new StepResult
        {
            Updated = false,
            MeanReward = rewards.MeanReward,
            Accuracy = rewards.Accuracy,
            FormatRate = rewards.FormatRate,
            GroupsUsed = batch.GroupsUsed,
            GroupsDropped = batch.GroupsDropped,
            Dropped = batch.Dropped,
            Rewards = rewards,
            Lengths = CompletionLengths.Of(groups, text => _policy.Prompts.ForRenderedPrompt(text).Length),
        };
        if (batch.IsEmpty) return result with { Seconds = clock.Elapsed.TotalSeconds };

        using var scope = NewDisposeScope();
        using var layout = TokenLayout.Build(batch.Prompts, batch.Completions, _policy.Config.PadId, _policy.Device);
        var behaviour = Padded(batch.BehaviourLogProbs, layout.CompletionLength).to(_policy.Device); // (B, Lc)
        var phase = Stopwatch.StartNew();
        double batchSeconds = clock.Elapsed.TotalSeconds;
        var reference = ReferenceLogProbs(layout);                                          // (B, Lc) or null
        double referenceSeconds = phase.Elapsed.TotalSeconds;
        phase.Restart();
        _optimizer.zero_grad();
        var (logProbs, entropy) = SequenceLogProbs.ComputeWithEntropy(_policy, layout, _temperature); // (B, Lc) each
        var advantages = tensor(batch.Advantages, device: _policy.Device);                  // (B)
        var loss = PolicyLoss.Compute(logProbs, behaviour, reference, advantages, layout.CompletionMask, _options, _maxTokens);
        double forwardSeconds = phase.Elapsed.TotalSeconds;
        phase.Restart();
        loss.Loss.backward();
        double backwardSeconds = phase.Elapsed.TotalSeconds;
        phase.Restart();
        double gradNorm = nn.utils.clip_grad_norm_(_policy.parameters(), _options.MaxGradNorm);
        _optimizer.step();
        var phases = new StepPhases(batchSeconds, referenceSeconds, forwardSeconds, backwardSeconds, phase.Elapsed.TotalSeconds);

        return result with
        {
            Updated = true,
            Loss = loss.Loss.item<float>(),
            Kl = loss.Stats.MeanKl,
            ClipFraction = loss.Stats.ClipFraction,
            LossStats = loss.Stats,
            Entropy = MaskedMean(entropy, layout.CompletionMask),
            GradNorm = gradNorm,
            CompletionTokens = loss.Stats.TokenCount,
            Phases = phases,
            Seconds = clock.Elapsed.TotalSeconds,
        };
    }

    /// <summary>(B, Lc) log π_ref of the completion tokens; null when β = 0, so the reference is not evaluated at
    /// all. No graph: the reference is frozen.</summary>
    Tensor? ReferenceLogProbs(TokenLayout layout)
    {
        if (_options.Beta <= 0) return null;
        using var noGrad = no_grad();
        return SequenceLogProbs.Compute(_reference!, layout, _temperature);
    }

    /// <summary>The mean of <paramref name="values"/> over the completion tokens the mask marks.</summary>
    static double MaskedMean(Tensor values, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var weight = mask.to_type(values.dtype);
        return (values.masked_fill(weight.eq(Scalars.Of(0.0)), Scalars.Of(0.0)) * weight).sum().ToDouble() / Math.Max(1.0, weight.sum().ToDouble());
    }

    /// <summary>(B, width) the rows right-padded with zeros, as the layout pads completions; a row longer than the
    /// layout (the worker recorded more log-probs than tokens) is cut.</summary>
    static Tensor Padded(IReadOnlyList<float[]> rows, int width)
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

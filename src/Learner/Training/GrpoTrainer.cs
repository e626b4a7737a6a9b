using System.Diagnostics;
using Pipeline.Contracts;
using Pipeline.Learner.Grpo;
using Pipeline.Policy;
using Pipeline.Policy.Model;
using Pipeline.Policy.Tokenization;
using Pipeline.Policy.Training;
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

    /// <summary>A read of the weights and AdamW's state still under way on another thread (the previous version's
    /// checkpoint being written): the next update waits for it before it changes them. Its failure is its reader's to
    /// report.</summary>
    public Task? PendingRead { get; set; }

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

        // One optimizer step; the forward/backward passes run over micro-batches of rows of similar length (one when
        // the batch's padded layout fits Grpo:MicroBatchTokens), each loss weighted by its share of the batch's.
        var chunks = MicroBatches.Plan(batch.Prompts.Select(p => p.Length).ToArray(), batch.Completions.Select(c => c.Length).ToArray(), _options.MicroBatchTokens);
        long batchTokens = batch.Completions.Sum(c => (long)c.Length);
        double batchSeconds = clock.Elapsed.TotalSeconds, referenceSeconds = 0, forwardSeconds = 0, backwardSeconds = 0, loss = 0, entropySum = 0;
        var stats = new List<PolicyLossStats>(chunks.Count);
        _optimizer.zero_grad();
        foreach (var rows in chunks)
        {
            var part = MicroBatchStep(batch, rows, batchTokens);
            (referenceSeconds, forwardSeconds, backwardSeconds) = (referenceSeconds + part.ReferenceSeconds, forwardSeconds + part.ForwardSeconds, backwardSeconds + part.BackwardSeconds);
            loss += part.Loss;
            entropySum += part.Entropy * part.Stats.TokenCount;
            stats.Add(part.Stats);
        }
        var phase = Stopwatch.StartNew();
        if (PendingRead is { } pending) Task.WaitAny(pending);
        double gradNorm = GradientUpdate.Apply(_policy, _optimizer, _options.MaxGradNorm);
        var phases = new StepPhases(batchSeconds, referenceSeconds, forwardSeconds, backwardSeconds, phase.Elapsed.TotalSeconds);
        var combined = PolicyLossStats.Combine(stats);

        return result with
        {
            Updated = true,
            Loss = loss,
            Kl = combined.MeanKl,
            ClipFraction = combined.ClipFraction,
            LossStats = combined,
            Entropy = entropySum / Math.Max(1, combined.TokenCount),
            GradNorm = gradNorm,
            CompletionTokens = combined.TokenCount,
            Phases = phases,
            Seconds = clock.Elapsed.TotalSeconds,
        };
    }

    /// <summary>Forward and backward over the batch's <paramref name="rows"/>, adding their weighted loss's gradient to
    /// the parameters' (no optimizer step).</summary>
    MicroBatchResult MicroBatchStep(TrainingBatch batch, int[] rows, long batchTokens)
    {
        using var scope = NewDisposeScope();
        var prompts = rows.Select(r => batch.Prompts[r]).ToArray();
        var completions = rows.Select(r => batch.Completions[r]).ToArray();
        using var layout = TokenLayout.Build(prompts, completions, _policy.Config.PadId, _policy.Device);
        var behaviour = Padded(rows.Select(r => batch.BehaviourLogProbs[r]).ToArray(), layout.CompletionLength).to(_policy.Device); // (b, Lc)
        var phase = Stopwatch.StartNew();
        var reference = ReferenceLogProbs(layout);                                          // (b, Lc) or null
        double referenceSeconds = phase.Elapsed.TotalSeconds;
        phase.Restart();
        var (logProbs, entropy) = SequenceLogProbs.ComputeWithEntropy(_policy, layout, _temperature); // (b, Lc) each
        var advantages = tensor(rows.Select(r => batch.Advantages[r]).ToArray(), device: _policy.Device); // (b)
        var loss = PolicyLoss.Compute(logProbs, behaviour, reference, advantages, layout.CompletionMask, _options, _maxTokens);
        var weighted = loss.Loss * PolicyLoss.Share(_options.Aggregation, rows.Length, completions.Sum(c => (long)c.Length), batch.Prompts.Count, batchTokens);
        double forwardSeconds = phase.Elapsed.TotalSeconds;
        phase.Restart();
        weighted.backward();
        double backwardSeconds = phase.Elapsed.TotalSeconds;
        return new MicroBatchResult(weighted.item<float>(), MaskedMean(entropy, layout.CompletionMask), loss.Stats, referenceSeconds, forwardSeconds, backwardSeconds);
    }

    sealed record MicroBatchResult(double Loss, double Entropy, PolicyLossStats Stats, double ReferenceSeconds, double ForwardSeconds, double BackwardSeconds);

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

using Pipeline.Policy.Model;
using Pipeline.Policy.Training;

namespace Pipeline.Learner.Training;

/// <summary>The model FLOPs of one <see cref="GrpoTrainer.Step"/> (see <see cref="ModelFlops"/> for what is counted):
/// the policy's forward pass over the batch, its backward pass (twice the forward), and the frozen reference's
/// forward pass when β &gt; 0. Sampling-side work (the behaviour log-probs) is not the learner's.</summary>
public sealed record StepFlops(double PolicyForward, double PolicyBackward, double Reference)
{
    public double Total => PolicyForward + PolicyBackward + Reference;

    public static StepFlops Of(PolicyConfig config, AttentionWork work, bool withReference)
    {
        double forward = ModelFlops.Forward(config, work);
        return new StepFlops(forward, 2 * forward, withReference ? forward : 0);
    }

    /// <summary>The step's FLOPs on a batch as the step lays it out — cut by <see cref="MicroBatches.Plan"/> into
    /// micro-batches of at most <paramref name="microBatchTokens"/> padded positions (<c>Grpo:MicroBatchTokens</c>), each
    /// a <see cref="TokenLayout"/> with prompts left-padded to its longest and completions right-padded to its longest:
    /// what libtorch computes — and without the padding (what the step needs).</summary>
    public static (StepFlops Padded, StepFlops Real) Of(PolicyConfig config, IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> completions,
        bool withReference, int microBatchTokens)
    {
        if (prompts.Count != completions.Count || prompts.Count == 0) throw new ArgumentException("one completion per prompt, at least one row");
        int[] promptLengths = prompts.Select(p => p.Length).ToArray(), completionLengths = completions.Select(c => c.Length).ToArray();
        var padded = MicroBatches.Plan(promptLengths, completionLengths, microBatchTokens)
            .Select(rows => ModelFlops.Padded(rows.Length, MicroBatches.Length(rows, promptLengths, completionLengths)))
            .Aggregate((a, b) => new AttentionWork(a.Tokens + b.Tokens, a.Pairs + b.Pairs));
        var real = ModelFlops.Causal(prompts.Select((p, r) => p.Length + completions[r].Length));
        return (Of(config, padded, withReference), Of(config, real, withReference));
    }
}

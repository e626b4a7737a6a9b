using Pipeline.Policy.Model;

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

    /// <summary>The step's FLOPs on a batch as <see cref="TokenLayout"/> lays it out (prompts left-padded to the longest,
    /// completions right-padded to the longest: what libtorch computes), and without the padding (what the step needs).</summary>
    public static (StepFlops Padded, StepFlops Real) Of(PolicyConfig config, IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> completions,
        bool withReference)
    {
        if (prompts.Count != completions.Count || prompts.Count == 0) throw new ArgumentException("one completion per prompt, at least one row");
        int length = prompts.Max(p => p.Length) + Math.Max(1, completions.Max(c => c.Length));
        var padded = ModelFlops.Padded(prompts.Count, length);
        var real = ModelFlops.Causal(prompts.Select((p, r) => p.Length + completions[r].Length));
        return (Of(config, padded, withReference), Of(config, real, withReference));
    }
}

using Pipeline.Policy.Model;
using Pipeline.Policy.Sampling;
using static TorchSharp.torch;

namespace Pipeline.Benchmarks.Rollout;

/// <summary>
/// The baseline of <c>pipeline bench rollout</c>: <see cref="Sampler"/> without its KV cache and without group prefix
/// sharing — every token recomputes every row's whole sequence, prompt included, in one full forward pass. Token choice
/// is <see cref="Sampler.Choose"/> with each sample's own generator (<see cref="Sampler.RowGenerator"/>), so with the
/// same seeds it draws the same tokens as the real sampler up to floating-point rounding. Benchmark-only: no stop
/// texts (sampling ends at eos or after the token budget).
/// </summary>
public sealed class NoCacheSampler(CausalLm policy)
{
    /// <param name="seeds">the seed of (prompt index, sample index)</param>
    /// <returns>for each prompt, its G samples in order</returns>
    public IReadOnlyList<IReadOnlyList<SampledSequence>> Sample(
        IReadOnlyList<int[]> prompts, int groupSize, SamplingParameters parameters, Func<int, int, ulong> seeds)
    {
        parameters.Validate();
        if (parameters.StopSequences.Count > 0) throw new ArgumentException("the no-cache sampler stops at eos or the token budget only");
        if (groupSize <= 0) throw new ArgumentException($"group size must be positive, not {groupSize}");
        using var noGrad = no_grad();
        var eos = policy.Config.EosTokenIds.ToHashSet();
        int rows = prompts.Count * groupSize;
        var randoms = Enumerable.Range(0, rows).Select(r => Sampler.RowGenerator(seeds(r / groupSize, r % groupSize))).ToArray();
        var tokens = Enumerable.Range(0, rows).Select(_ => new List<int>()).ToArray();
        var logProbs = Enumerable.Range(0, rows).Select(_ => new List<float>()).ToArray();
        var finish = new string[rows];
        var active = Enumerable.Range(0, rows).ToList();

        for (int step = 0; step < parameters.MaxTokens && active.Count > 0; step++)
        {
            using var scope = NewDisposeScope();
            // Every active row has sampled `step` tokens, so the next token is predicted at one column for all.
            using var layout = TokenLayout.Build(active.Select(r => prompts[r / groupSize]).ToArray(),
                active.Select(r => tokens[r].ToArray()).ToArray(), policy.Config.PadId, policy.Device);
            int length = layout.PromptLength + step;
            var keyMask = layout.KeyMask.narrow(1, 0, length);                                    // (R, L)
            var logits = policy.Logits(layout.Ids.narrow(1, 0, length), AttentionMasks.Positions(keyMask),
                AttentionMasks.Causal(keyMask, length)).select(1, length - 1);                     // (R, V)
            var (chosen, chosenLogProbs) = Sampler.Choose(logits, active.Select(r => randoms[r]).ToArray(), parameters);
            bool lastStep = step == parameters.MaxTokens - 1;
            var stillActive = new List<int>(active.Count);
            for (int i = 0; i < active.Count; i++)
            {
                int r = active[i];
                tokens[r].Add((int)chosen[i]);
                logProbs[r].Add(chosenLogProbs[i]);
                if (eos.Contains((int)chosen[i])) finish[r] = "stop";
                else if (lastStep) finish[r] = "length";
                else stillActive.Add(r);
            }
            active = stillActive;
        }

        return Enumerable.Range(0, prompts.Count)
            .Select(p => (IReadOnlyList<SampledSequence>)Enumerable.Range(0, groupSize)
                .Select(g => p * groupSize + g)
                .Select(r => new SampledSequence([.. tokens[r]], [.. logProbs[r]], finish[r] ?? "length")).ToArray())
            .ToArray();
    }
}

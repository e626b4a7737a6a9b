using Pipeline.Policy.Model;
using static TorchSharp.torch;

namespace Pipeline.Policy.Sampling;

/// <summary>Samples G completions per prompt with a KV cache. Each prompt is prefilled once; its cache rows are
/// then repeated for the G samples of its group, which decode together with every other group of the batch.
/// Finished rows are dropped from the cache as they finish. Token choice happens on the CPU with each sample's
/// own generator (<see cref="SampleSeeds"/>), so a sample is the same whatever else shares its batch.</summary>
public sealed class Sampler(CausalLm policy)
{
    /// <param name="seeds">the seed of (prompt index, sample index)</param>
    /// <returns>for each prompt, its G samples in order</returns>
    public IReadOnlyList<IReadOnlyList<SampledSequence>> Sample(
        IReadOnlyList<int[]> prompts, int groupSize, SamplingParameters parameters, Func<int, int, ulong> seeds)
    {
        parameters.Validate();
        if (prompts.Count == 0) return [];
        if (groupSize <= 0) throw new ArgumentException($"group size must be positive, not {groupSize}");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        int rows = prompts.Count * groupSize;
        var samples = new Row[rows];
        for (int r = 0; r < rows; r++)
        {
            ulong seed = seeds(r / groupSize, r % groupSize);
            samples[r] = new Row(new Random(unchecked((int)(seed ^ (seed >> 32)))));
        }

        using var layout = TokenLayout.Build(prompts, prompts.Select(_ => Array.Empty<int>()).ToArray(), policy.Config.PadTokenId);
        int lp = layout.PromptLength;
        var keyMask = layout.KeyMask.narrow(1, 0, lp);
        using var cache = policy.NewCache(prompts.Count, lp + parameters.MaxTokens);

        // Prefill each prompt once, then give each of its G samples a copy of its cache rows.
        var positions = AttentionMasks.Positions(keyMask);
        var logits = policy.Logits(layout.Ids.narrow(1, 0, lp), positions, AttentionMasks.Causal(keyMask, lp), cache)
            .select(1, lp - 1);                                                    // (P, V)
        var expand = arange(prompts.Count).repeat_interleave(groupSize);           // (P·G)
        cache.SelectRows(expand);
        keyMask = keyMask.index_select(0, expand);
        var nextPosition = positions.select(1, lp - 1).index_select(0, expand) + 1; // (P·G)
        logits = logits.index_select(0, expand);
        var active = Enumerable.Range(0, rows).ToList();

        for (int step = 0; step < parameters.MaxTokens && active.Count > 0; step++)
        {
            using var stepScope = NewDisposeScope();
            var chosen = Choose(logits, active, samples, parameters);
            bool lastStep = step == parameters.MaxTokens - 1;
            var keep = new List<int>(active.Count);
            for (int i = 0; i < active.Count; i++)
            {
                var row = samples[active[i]];
                if (chosen[i] == policy.Config.EosTokenId || row.EndsWithAny(parameters.StopSequences)) row.Finish("stop");
                else if (lastStep) row.Finish("length");
                else keep.Add(i);
            }
            if (keep.Count == 0) break;

            var tokens = tensor(chosen.Select(c => (long)c).ToArray(), [chosen.Length, 1]);
            if (keep.Count < active.Count)
            {
                var kept = tensor(keep.Select(k => (long)k).ToArray());
                cache.SelectRows(kept);
                keyMask = keyMask.index_select(0, kept);
                nextPosition = nextPosition.index_select(0, kept);
                tokens = tokens.index_select(0, kept);
                active = keep.Select(k => active[k]).ToList();
            }
            keyMask = cat([keyMask, ones(keyMask.shape[0], 1, dtype: @bool)], 1);
            var stepLogits = policy.Logits(tokens, nextPosition.unsqueeze(1), AttentionMasks.Causal(keyMask, 1), cache).select(1, 0);
            logits = stepLogits.MoveToOuterDisposeScope();
            keyMask = keyMask.MoveToOuterDisposeScope();
            nextPosition = (nextPosition + 1).MoveToOuterDisposeScope();
        }

        return Enumerable.Range(0, prompts.Count)
            .Select(p => (IReadOnlyList<SampledSequence>)Enumerable.Range(0, groupSize).Select(g => samples[p * groupSize + g].ToSequence()).ToArray())
            .ToArray();
    }

    /// <summary>Picks the next token of every active row and records its log-prob.</summary>
    static int[] Choose(Tensor logits, List<int> active, Row[] samples, SamplingParameters parameters)
    {
        bool greedy = parameters.Temperature == 0;
        var scaled = greedy ? logits : logits / parameters.Temperature;
        var logProbs = scaled.log_softmax(-1).to(float32).contiguous();
        int vocab = (int)logProbs.shape[1];
        var values = logProbs.data<float>().ToArray();
        var chosen = new int[active.Count];
        for (int i = 0; i < active.Count; i++)
        {
            var row = new ReadOnlySpan<float>(values, i * vocab, vocab);
            int token = greedy ? ArgMax(row) : Draw(row, parameters.TopP, samples[active[i]].Random);
            samples[active[i]].Add(token, row[token]);
            chosen[i] = token;
        }
        return chosen;
    }

    static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int v = 1; v < row.Length; v++) if (row[v] > row[best]) best = v;
        return best;
    }

    /// <summary>Nucleus sampling (Holtzman et al. 2020): draw from the smallest set of most likely tokens whose
    /// probability reaches <paramref name="topP"/>.</summary>
    static int Draw(ReadOnlySpan<float> logProbs, float topP, Random random)
    {
        var order = new int[logProbs.Length];
        for (int v = 0; v < order.Length; v++) order[v] = v;
        var probabilities = new double[logProbs.Length];
        for (int v = 0; v < probabilities.Length; v++) probabilities[v] = Math.Exp(logProbs[v]);
        int kept = order.Length;
        double mass = 1.0;
        if (topP < 1f)
        {
            Array.Sort(order, (a, b) => probabilities[b].CompareTo(probabilities[a]));
            mass = 0;
            for (kept = 0; kept < order.Length && mass < topP; kept++) mass += probabilities[order[kept]];
        }
        double u = random.NextDouble() * mass, cumulative = 0;
        for (int k = 0; k < kept; k++)
        {
            cumulative += probabilities[order[k]];
            if (u < cumulative) return order[k];
        }
        return order[kept - 1];
    }

    sealed class Row(Random random)
    {
        readonly List<int> _tokens = [];
        readonly List<float> _logProbs = [];
        string? _finish;

        public Random Random { get; } = random;

        public void Add(int token, float logProb)
        {
            _tokens.Add(token);
            _logProbs.Add(logProb);
        }

        public void Finish(string reason) => _finish = reason;

        public bool EndsWithAny(IReadOnlyList<int[]> sequences)
        {
            foreach (var sequence in sequences)
                if (_tokens.Count >= sequence.Length && System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_tokens)[^sequence.Length..].SequenceEqual(sequence)) return true;
            return false;
        }

        public SampledSequence ToSequence() => new([.. _tokens], [.. _logProbs], _finish ?? "length");
    }
}

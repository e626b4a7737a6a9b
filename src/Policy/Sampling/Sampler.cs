using Pipeline.Policy.Model;
using Pipeline.Policy.Tokenization;
using static TorchSharp.torch;

namespace Pipeline.Policy.Sampling;

/// <summary>Samples G completions per prompt with a KV cache. Each prompt is prefilled once; its cache rows are
/// then repeated for the G samples of its group, which decode together with every other group of the batch.
/// Finished rows leave the batch together, once a quarter of it has finished (one KV-cache copy, not one per finishing
/// step). Token choice runs on tensors on the policy's device
/// (softmax, top-p, the draw); each sample contributes one uniform number per token from its own generator
/// (<see cref="SampleSeeds"/>), so a sample is the same whatever else shares its batch, and only the chosen ids and
/// their log-probs come back to the host.</summary>
public sealed class Sampler(CausalLm policy)
{
    /// <summary>Finished rows leave the batch (a copy of the KV cache) once fewer than this share of its rows are
    /// still decoding.</summary>
    const double CompactBelow = 0.75;

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
        var device = policy.Device;
        var eos = policy.Config.EosTokenIds.ToHashSet();
        int rows = prompts.Count * groupSize;
        var samples = new Row[rows];
        for (int r = 0; r < rows; r++)
        {
            ulong seed = seeds(r / groupSize, r % groupSize);
            samples[r] = new Row(RowGenerator(seed));
        }

        using var layout = TokenLayout.Build(prompts, prompts.Select(_ => Array.Empty<int>()).ToArray(), policy.Config.PadId, device);
        int lp = layout.PromptLength;
        var keyMask = layout.KeyMask.narrow(1, 0, lp);
        using var cache = policy.NewCache(prompts.Count, lp + parameters.MaxTokens);

        // Prefill each prompt once, then give each of its G samples a copy of its cache rows.
        var positions = AttentionMasks.Positions(keyMask);
        var logits = policy.Logits(layout.Ids.narrow(1, 0, lp), positions, AttentionMasks.Causal(keyMask, lp, policy.Config.AttentionWindow), cache)
            .select(1, lp - 1);                                                    // (P, V)
        var expand = arange(prompts.Count, device: device).repeat_interleave(groupSize); // (P·G)
        cache.SelectRows(expand);
        keyMask = keyMask.index_select(0, expand);
        var nextPosition = positions.select(1, lp - 1).index_select(0, expand).Plus(Scalars.Of(1L)); // (P·G)
        logits = logits.index_select(0, expand);
        // The sample each batch row decodes, or -1 once it has finished. A finished row stays in the batch (its
        // tokens are computed and ignored) until fewer than CompactBelow of the rows are live: dropping rows copies
        // the whole KV cache, and doing that whenever any row finishes cost more than decoding itself.
        var batchRows = Enumerable.Range(0, rows).ToArray();
        int live = rows;
        var spare = new Random(0);

        for (int step = 0; step < parameters.MaxTokens && live > 0; step++)
        {
            using var stepScope = NewDisposeScope();
            var (chosen, chosenLogProbs) = Choose(logits, batchRows.Select(r => r >= 0 ? samples[r].Random : spare).ToArray(), parameters);
            bool lastStep = step == parameters.MaxTokens - 1;
            for (int i = 0; i < batchRows.Length; i++)
            {
                if (batchRows[i] < 0) continue;
                var row = samples[batchRows[i]];
                row.Add((int)chosen[i], chosenLogProbs[i]);
                if (eos.Contains((int)chosen[i]) || row.EndsWithAny(parameters.StopSequences, policy.Tokenizer)) row.Finish("stop");
                else if (lastStep) row.Finish("length");
                else continue;
                batchRows[i] = -1;
                live--;
            }
            if (live == 0) break;

            var tokens = tensor(chosen, [chosen.Length, 1], device: device);
            if (live < batchRows.Length * CompactBelow)
            {
                var keep = Enumerable.Range(0, batchRows.Length).Where(i => batchRows[i] >= 0).ToArray();
                var kept = tensor(keep.Select(k => (long)k).ToArray(), device: device);
                cache.SelectRows(kept);
                keyMask = keyMask.index_select(0, kept);
                nextPosition = nextPosition.index_select(0, kept);
                tokens = tokens.index_select(0, kept);
                batchRows = keep.Select(k => batchRows[k]).ToArray();
            }
            keyMask = cat([keyMask, ones(keyMask.shape[0], 1, dtype: @bool, device: device)], 1);
            var stepLogits = policy.Logits(tokens, nextPosition.unsqueeze(1), AttentionMasks.Causal(keyMask, 1, policy.Config.AttentionWindow), cache).select(1, 0);
            logits = stepLogits.MoveToOuterDisposeScope();
            keyMask = keyMask.MoveToOuterDisposeScope();
            nextPosition = nextPosition.Plus(Scalars.Of(1L)).MoveToOuterDisposeScope();
        }

        return Enumerable.Range(0, prompts.Count)
            .Select(p => (IReadOnlyList<SampledSequence>)Enumerable.Range(0, groupSize).Select(g => samples[p * groupSize + g].ToSequence()).ToArray())
            .ToArray();
    }

    /// <summary>The generator a sample draws its uniform numbers from, given its seed.</summary>
    public static Random RowGenerator(ulong seed) => new(unchecked((int)(seed ^ (seed >> 32))));

    /// <summary>The next token of every active row and its log-prob under the temperature-scaled distribution.
    /// Nucleus sampling (Holtzman et al. 2020) draws from the smallest set of most likely tokens whose probability
    /// reaches top-p: a row's tokens in descending probability, those whose preceding mass is below top-p kept, and
    /// the first whose running mass exceeds u · (kept mass) chosen, u uniform in [0, 1) from the row's own generator.
    /// Public so that a benchmark's sampler without a cache draws exactly the same tokens from the same logits.</summary>
    /// <param name="logits">(R, V)</param>
    public static (long[] Tokens, float[] LogProbs) Choose(Tensor logits, Random[] randoms, SamplingParameters parameters)
    {
        var scaled = logits.to(float32);
        if (parameters.Temperature > 0) scaled = scaled / Scalars.Of(parameters.Temperature);
        var logProbs = scaled.log_softmax(-1);                                            // (R, V)
        Tensor chosen;                                                                    // (R)
        if (parameters.Temperature == 0) chosen = logProbs.argmax(-1);
        else
        {
            var (ordered, order) = parameters.TopP < 1f
                ? logProbs.sort(-1, descending: true)                                     // (R, V) each
                : (logProbs, arange(logProbs.shape[1], device: logProbs.device).expand_as(logProbs));
            var probabilities = ordered.to(float64).exp();                                // (R, V)
            if (parameters.TopP < 1f)
                probabilities = probabilities * ((probabilities.cumsum(-1) - probabilities).lt(Scalars.Of(parameters.TopP)));
            var cumulative = probabilities.cumsum(-1);                                    // (R, V)
            var draws = tensor(randoms.Select(r => r.NextDouble()).ToArray(), float64, logProbs.device);
            var threshold = (draws * cumulative.select(-1, -1)).unsqueeze(1);             // (R, 1)
            var lastKept = parameters.TopP < 1f                                             // (R, 1); kept tokens lead when sorted
                ? probabilities.gt(Scalars.Of(0L)).sum(-1, keepdim: true) - Scalars.Of(1L)
                : full([logProbs.shape[0], 1], logProbs.shape[1] - 1, int64, logProbs.device);
            var index = cumulative.le(threshold).sum(-1, keepdim: true).minimum(lastKept); // (R, 1)
            chosen = order.gather(-1, index).squeeze(1);
        }
        var chosenLogProbs = logProbs.gather(-1, chosen.unsqueeze(1)).squeeze(1);         // (R)
        return (chosen.cpu().data<long>().ToArray(), chosenLogProbs.cpu().data<float>().ToArray());
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

        /// <summary>Whether the newest token completed one of the stop texts. Only the tail that can hold a stop text
        /// ending in the newest token is decoded: a token spells at least a quarter of a character (byte fallback).</summary>
        public bool EndsWithAny(IReadOnlyList<string> stops, PolicyTokenizer tokenizer)
        {
            if (stops.Count == 0) return false;
            int window = Math.Min(_tokens.Count, 4 * stops.Max(s => s.Length) + 4);
            var tail = tokenizer.Decode(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_tokens)[^window..]);
            foreach (var stop in stops)
            {
                // A stop the tail held before the newest token was found a token earlier.
                if (tail.Contains(stop, StringComparison.Ordinal)
                    && !tokenizer.Decode(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_tokens)[^window..^1]).Contains(stop, StringComparison.Ordinal))
                    return true;
            }
            return false;
        }

        public SampledSequence ToSequence() => new([.. _tokens], [.. _logProbs], _finish ?? "length");
    }
}

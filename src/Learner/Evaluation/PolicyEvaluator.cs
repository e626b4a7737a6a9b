using Pipeline.Contracts;
using Pipeline.Learner.Runs;
using Pipeline.Policy;
using Pipeline.Policy.Model;
using Pipeline.Policy.Sampling;
using Pipeline.Rewards;
using Pipeline.Tasks;
using Pipeline.Tasks.Countdown;

namespace Pipeline.Learner.Evaluation;

/// <summary>Scores a policy on held-out problems with the verifier's own rules — through the sandbox for code, as the
/// verifier scores them: accuracy and format of its greedy answer, and with k samples at temperature 1 pass@k (the
/// share of problems where at least one is correct, which with n = k samples is exactly the unbiased estimator of Chen
/// et al. 2021) and pass@1 estimated from the same samples (the mean share correct). Before generating anything it
/// refuses a prompt that does not fit the policy's context and a kind that cannot be scored here (a code problem
/// without a sandbox: <c>SandboxUnavailableException</c>), so a broken evaluation fails at once, not after sampling.</summary>
public sealed class PolicyEvaluator(CompletionScorerRouter scorers) : IDisposable
{
    /// <summary>All sampling on one thread (<see cref="TorchThread"/>); scoring stays off it.</summary>
    readonly TorchThread _thread = new("evaluator");

    public void Dispose() => _thread.Dispose();

    /// <summary>Problems sampled together, at most; fewer when k samples each would make the batch larger than
    /// <see cref="RowsPerChunk"/> rows (a KV cache of thousands of long rows costs more to copy than it saves).</summary>
    const int PromptsPerChunk = 64;
    const int RowsPerChunk = 1024;

    /// <param name="progress">told how many problems are done after each chunk of them (optional)</param>
    public async Task<PolicyScore> EvaluateAsync(CausalLm policy, IReadOnlyList<Problem> problems, int k, int maxTokens, long seed = 0,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        if (problems.Count == 0) throw new ArgumentException("no problems to evaluate on");
        PromptLengths.Check(problems, policy.Prompts, maxTokens, policy.Config.MaxPositionEmbeddings);
        await EnsureScorableAsync(problems, cancellationToken);

        policy.eval();
        var sampler = new Sampler(policy);
        var tally = new Tally(k);
        int perChunk = Math.Clamp(RowsPerChunk / Math.Max(1, k), 1, PromptsPerChunk);
        for (int start = 0; start < problems.Count; start += perChunk)
        {
            var chunk = problems.Skip(start).Take(perChunk).ToArray();
            int first = start;
            var prompts = chunk.Select(p => policy.Prompts.ForQuestion(p.Question)).ToArray();
            var greedySequences = await _thread.RunAsync(() => sampler.Sample(prompts, 1, new SamplingParameters(0f, 1f, maxTokens), (_, _) => 0));
            var greedy = greedySequences.Select(g => policy.Tokenizer.Decode(g[0].Tokens)).ToArray();
            tally.AddGreedyLengths(greedySequences.Select(g => g[0].Tokens.Length));
            var samples = k <= 0 ? null : (await _thread.RunAsync(() => sampler.Sample(prompts, k, new SamplingParameters(1f, 1f, maxTokens),
                    (prompt, sample) => SampleSeeds.Derive(seed, -1, first + prompt, sample))))
                .Select(g => (IReadOnlyList<string>)g.Select(s => policy.Tokenizer.Decode(s.Tokens)).ToArray()).ToArray();
            await ScoreIntoAsync(tally, chunk, greedy, samples, cancellationToken);
            progress?.Report(first + chunk.Length);
        }
        return tally.Result(problems.Count);
    }

    /// <summary>The figures of completions already written: <paramref name="greedy"/> holds each problem's greedy
    /// answer, <paramref name="samples"/> (or null) its k samples. What <see cref="EvaluateAsync"/> does after sampling.</summary>
    public async Task<PolicyScore> ScoreAsync(IReadOnlyList<Problem> problems, IReadOnlyList<string> greedy,
        IReadOnlyList<IReadOnlyList<string>>? samples, CancellationToken cancellationToken = default)
    {
        if (problems.Count == 0) throw new ArgumentException("no problems to evaluate on");
        if (greedy.Count != problems.Count || samples is not null && samples.Count != problems.Count)
            throw new ArgumentException("one greedy answer, and one set of samples, per problem");
        int k = samples is null ? 0 : samples[0].Count;
        if (samples is not null && (k == 0 || samples.Any(s => s.Count != k)))
            throw new ArgumentException("every problem needs the same number of samples, at least one");
        await EnsureScorableAsync(problems, cancellationToken);
        var tally = new Tally(k);
        await ScoreIntoAsync(tally, problems, greedy, samples, cancellationToken);
        return tally.Result(problems.Count);
    }

    async Task EnsureScorableAsync(IEnumerable<Problem> problems, CancellationToken cancellationToken)
    {
        foreach (var kind in problems.Select(p => p.Kind).Distinct(StringComparer.OrdinalIgnoreCase))
            await scorers.Resolve(kind).EnsureAvailableAsync(cancellationToken);
    }

    /// <summary>Every completion of the problems scored concurrently: rule-based kinds finish at once; code runs in the
    /// sandbox, which bounds its own parallel runs.</summary>
    async Task ScoreIntoAsync(Tally tally, IReadOnlyList<Problem> problems, IReadOnlyList<string> greedy,
        IReadOnlyList<IReadOnlyList<string>>? samples, CancellationToken cancellationToken)
    {
        Task<CompletionScore[]> Score(Problem problem, IEnumerable<string> completions)
        {
            var scorer = scorers.Resolve(problem.Kind);
            return Task.WhenAll(completions.Select((text, index) => scorer.ScoreAsync(index, text, problem.Reference, cancellationToken).AsTask()));
        }
        var greedyScores = await Task.WhenAll(problems.Select((problem, i) => Score(problem, [greedy[i]])));
        for (int i = 0; i < problems.Count; i++) tally.AddGreedy(greedyScores[i][0], problems[i], greedy[i]);
        if (samples is null) return;
        foreach (var scores in await Task.WhenAll(problems.Select((problem, i) => Score(problem, samples[i]))))
            tally.AddSamples(scores);
    }

    sealed class Tally(int k)
    {
        double _correct, _formatted, _passed, _sampledCorrect, _greedyTokens;
        int _lengths, _countdown, _verifying;
        readonly SortedDictionary<string, int> _verdicts = new(StringComparer.Ordinal);

        public void AddGreedyLengths(IEnumerable<int> tokens)
        {
            foreach (var length in tokens)
            {
                _greedyTokens += length;
                _lengths++;
            }
        }

        public void AddGreedy(CompletionScore score, Problem problem, string completion)
        {
            if (problem.Kind == TaskKinds.Countdown)
            {
                _countdown++;
                if (SelfVerification.Detect(completion)) _verifying++;
            }
            _correct += score.Components.GetValueOrDefault(RewardComponents.Accuracy);
            _formatted += score.Components.GetValueOrDefault(RewardComponents.Format);
            _verdicts[score.Verdict] = _verdicts.GetValueOrDefault(score.Verdict) + 1;
        }

        public void AddSamples(IReadOnlyList<CompletionScore> scores)
        {
            int right = scores.Count(s => s.Components.GetValueOrDefault(RewardComponents.Accuracy) > 0);
            if (right > 0) _passed++;
            _sampledCorrect += (double)right / k;
        }

        public PolicyScore Result(int n) => new(_correct / n, _formatted / n, k > 0 ? _passed / n : double.NaN, k, n)
        {
            PassAt1 = k > 0 ? _sampledCorrect / n : double.NaN,
            Verdicts = _verdicts,
            MeanCompletionTokens = _lengths == n ? _greedyTokens / n : double.NaN,
            SelfVerificationRate = _countdown > 0 ? (double)_verifying / _countdown : double.NaN,
        };
    }
}

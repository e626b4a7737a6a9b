using Pipeline.Contracts;
using Pipeline.Policy.Model;
using Pipeline.Policy.Sampling;
using Pipeline.Rewards;
using Pipeline.Tasks;
using Pipeline.Tasks.Countdown;

namespace Pipeline.Learner.Evaluation;

/// <summary>Scores a policy on held-out problems with the verifier's own rules: accuracy and format of its greedy
/// answer, and pass@k — the share of problems where at least one of k samples (temperature 1) is correct, which
/// with n = k samples is exactly the unbiased estimator of Chen et al. (2021).</summary>
public sealed class PolicyEvaluator(CompletionScorerRouter scorers)
{
    const int PromptsPerChunk = 64;

    /// <param name="progress">told how many problems are done after each chunk of them (optional)</param>
    public PolicyScore Evaluate(CausalLm policy, IReadOnlyList<Problem> problems, int k, int maxTokens, long seed = 0,
        IProgress<int>? progress = null)
    {
        if (problems.Count == 0) throw new ArgumentException("no problems to evaluate on");
        policy.eval();
        var sampler = new Sampler(policy);
        double correct = 0, formatted = 0, passed = 0, tokens = 0;
        int countdown = 0, verifying = 0;
        for (int start = 0; start < problems.Count; start += PromptsPerChunk)
        {
            var chunk = problems.Skip(start).Take(PromptsPerChunk).ToArray();
            int first = start;
            var prompts = chunk.Select(p => policy.Prompts.ForQuestion(p.Question)).ToArray();
            var greedy = sampler.Sample(prompts, 1, new SamplingParameters(0f, 1f, maxTokens), (_, _) => 0);
            for (int i = 0; i < chunk.Length; i++)
            {
                var text = policy.Tokenizer.Decode(greedy[i][0].Tokens);
                var score = Score(chunk[i], text);
                correct += score.Components.GetValueOrDefault(RewardComponents.Accuracy);
                formatted += score.Components.GetValueOrDefault(RewardComponents.Format);
                tokens += greedy[i][0].Tokens.Length;
                if (chunk[i].Kind != TaskKinds.Countdown) continue;
                countdown++;
                if (SelfVerification.Detect(text)) verifying++;
            }
            if (k <= 0)
            {
                progress?.Report(first + chunk.Length);
                continue;
            }
            var samples = sampler.Sample(prompts, k, new SamplingParameters(1f, 1f, maxTokens),
                (prompt, sample) => SampleSeeds.Derive(seed, -1, first + prompt, sample));
            for (int i = 0; i < chunk.Length; i++)
                if (samples[i].Any(s => Score(chunk[i], policy.Tokenizer.Decode(s.Tokens)).Components.GetValueOrDefault(RewardComponents.Accuracy) > 0)) passed++;
            progress?.Report(first + chunk.Length);
        }
        int n = problems.Count;
        return new PolicyScore(correct / n, formatted / n, k > 0 ? passed / n : double.NaN, k, n,
            tokens / n, countdown > 0 ? (double)verifying / countdown : double.NaN);
    }

    Contracts.CompletionScore Score(Problem problem, string completion) =>
        scorers.ResolveRules(problem.Kind).Score(0, completion, problem.Reference);
}

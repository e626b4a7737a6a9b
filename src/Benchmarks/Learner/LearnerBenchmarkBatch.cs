using Pipeline.Contracts;
using Pipeline.Policy.Model;
using Pipeline.Tasks;
using static TorchSharp.torch;

namespace Pipeline.Benchmarks.Learner;

/// <summary>
/// The fixed batch <c>pipeline bench learner</c> trains on, as the learner receives it: scored groups of the task's
/// training problems, each completion a worked solution from the task's pretraining corpus (the text a base policy
/// writes, so lengths vary as in a run) cut at the run's token budget, its behaviour log-probs the base policy's own
/// (an on-policy batch) and rewards that alternate within each group, so dynamic sampling keeps every group (what a
/// step costs does not depend on the reward values). Seeded: the same batch on every run.
/// </summary>
public static class LearnerBenchmarkBatch
{
    public static IReadOnlyList<RolloutGroupScored> Build(CausalLm basePolicy, ITaskSource task, Func<Problem, Random, string> corpus,
        int prompts, int groupSize, int maxTokens, float temperature, int seed)
    {
        var random = new Random(seed);
        var problems = Enumerable.Range(0, prompts).Select(_ => task.NextTraining(random)).ToArray();
        var promptTokens = problems.Select(p => basePolicy.Prompts.ForQuestion(p.Question)).ToArray();
        var completions = problems.Select(p => Enumerable.Range(0, groupSize)
            .Select(_ => basePolicy.Prompts.ForCompletion(corpus(p, random)))
            .Select(tokens => tokens.Length > maxTokens ? tokens[..maxTokens] : tokens).ToArray()).ToArray();
        var logProbs = BehaviourLogProbs(basePolicy,
            promptTokens.SelectMany(p => Enumerable.Repeat(p, groupSize)).ToArray(), completions.SelectMany(c => c).ToArray(), temperature);

        var runId = Guid.Empty;
        return problems.Select((problem, p) => new RolloutGroupScored
        {
            RunId = runId,
            BatchId = 0,
            PromptId = p,
            PolicyVersion = 0,
            Prompt = new RolloutPrompt { PromptId = p, Text = PromptTemplate.Render(problem.Question), Task = problem.Kind, Reference = problem.Reference },
            Completions = completions[p].Select((tokens, i) => new Completion
            {
                Index = i,
                Text = basePolicy.Tokenizer.Decode(tokens),
                TokenIds = PackedArrays.Pack(tokens),
                LogProbs = PackedArrays.Pack(logProbs[p * groupSize + i]),
                FinishReason = basePolicy.Config.EosTokenIds.Contains(tokens[^1]) ? "stop" : "length",
            }).ToArray(),
            Scores = Enumerable.Range(0, groupSize).Select(i => new CompletionScore
            {
                Index = i,
                Reward = i % 2 == 0 ? 1.5 : 0.5,
                Components = new Dictionary<string, double> { [RewardComponents.Accuracy] = i % 2 == 0 ? 1 : 0, [RewardComponents.Format] = 1 },
                Verdict = i % 2 == 0 ? "correct" : "wrong-answer",
            }).ToArray(),
        }).ToArray();
    }

    /// <summary>Each completion's log-probs under the base policy, in one pass.</summary>
    static float[][] BehaviourLogProbs(CausalLm policy, int[][] prompts, int[][] completions, float temperature)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var layout = TokenLayout.Build(prompts, completions, policy.Config.PadId, policy.Device);
        var logProbs = SequenceLogProbs.Compute(policy, layout, temperature).cpu();  // (B, Lc)
        return completions.Select((c, r) => logProbs[r].narrow(0, 0, c.Length).data<float>().ToArray()).ToArray();
    }
}

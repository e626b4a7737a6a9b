using Pipeline.Benchmarks.Learner;
using Pipeline.Learner.Grpo;
using Pipeline.Learner.Training;
using Pipeline.Tasks.Arithmetic;
using Pipeline.Tests.Unit.Policy;

namespace Pipeline.Tests.Unit.Benchmarks;

[Collection(TorchCollection.Name)]
public sealed class LearnerBenchmarkBatchTests
{
    [Fact]
    public void The_batch_is_on_policy_keeps_every_group_and_holds_corpus_lengths_within_the_budget()
    {
        using var policy = TinyPolicy.Create(seed: 5);
        var options = new GrpoOptions { Beta = 0, LearningRate = 1e-3 };
        const int maxTokens = 24;

        var groups = LearnerBenchmarkBatch.Build(policy, new ArithmeticTask(new ArithmeticOptions()), new ArithmeticCorpus(new CorpusOptions()).Sample,
            prompts: 3, groupSize: 4, maxTokens, temperature: 1f, seed: 1);
        var rows = TrainingBatch.Build(groups, options, maxTokens, policy.Prompts);
        using var trainer = new GrpoTrainer(policy, null, options, maxTokens, 1f);
        var step = trainer.Step(groups);

        Assert.Equal((3, 0, 12), (rows.GroupsUsed, rows.GroupsDropped, rows.Completions.Count));
        Assert.All(rows.Completions, c => Assert.InRange(c.Length, 1, maxTokens));
        Assert.All(rows.Completions.Zip(rows.BehaviourLogProbs), r => Assert.Equal(r.First.Length, r.Second.Length));
        // The behaviour log-probs are the policy's own: the first step's importance ratios are all 1.
        Assert.Equal(1.0, step.LossStats!.MinRatio, 1e-4);
        Assert.Equal(1.0, step.LossStats.MaxRatio, 1e-4);
    }
}

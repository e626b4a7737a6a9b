using Pipeline.Contracts;
using Pipeline.Rewards;
using Pipeline.Tasks;

namespace Pipeline.Cli.Workflows;

/// <summary>How often the pretraining corpus's own final answers are right, judged by the verifier's accuracy
/// rule: the level a policy reaches by imitation alone. RL has learned something only above it.</summary>
public static class CorpusAccuracy
{
    public static double Measure(PretrainingCorpus corpus, CompletionScorerRouter scorers, int samples = 4000, int seed = 12345)
    {
        var random = new Random(seed);
        double correct = 0;
        for (int i = 0; i < samples; i++)
        {
            var problem = corpus.Problems.NextTraining(random);
            var score = scorers.ResolveRules(problem.Kind).Score(0, corpus.Sample(problem, random), problem.Reference);
            correct += score.Components.GetValueOrDefault(RewardComponents.Accuracy);
        }
        return correct / samples;
    }
}

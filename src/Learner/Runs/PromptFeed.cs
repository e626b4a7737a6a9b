using Pipeline.Contracts;
using Pipeline.Policy.Sampling;
using Pipeline.Tasks;

namespace Pipeline.Learner.Runs;

/// <summary>Deterministic batches of training prompts: batch b of a run is the same in every process and on every
/// replay, because it is drawn from its own generator seeded by a stable mix of (run seed, b).</summary>
public sealed class PromptFeed(ITaskSource task, long seed, int promptsPerBatch)
{
    public IReadOnlyList<RolloutPrompt> Batch(int batchId)
    {
        // System.Random with an explicit seed runs the same legacy algorithm in every process and version.
        var random = new Random(SampleSeeds.ForPromptBatch(seed, batchId));
        return Enumerable.Range(0, promptsPerBatch).Select(i =>
        {
            var problem = task.NextTraining(random);
            return new RolloutPrompt
            {
                PromptId = i,
                Text = PromptTemplate.Render(problem.Question),
                Task = problem.Kind,
                Reference = problem.Reference,
            };
        }).ToArray();
    }
}

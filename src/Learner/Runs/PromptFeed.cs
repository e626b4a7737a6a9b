using Pipeline.Contracts;
using Pipeline.Tasks;

namespace Pipeline.Learner.Runs;

/// <summary>Deterministic batches of training prompts: batch b of a run is the same on every replay, because it is
/// drawn from its own generator seeded by (run seed, b).</summary>
public sealed class PromptFeed(ITaskSource task, long seed, int promptsPerBatch)
{
    public IReadOnlyList<RolloutPrompt> Batch(int batchId)
    {
        var random = new Random(HashCode.Combine(seed, batchId, 0x5eed));
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

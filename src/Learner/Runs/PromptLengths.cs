using Pipeline.Policy.Tokenization;
using Pipeline.Tasks;

namespace Pipeline.Learner.Runs;

/// <summary>A problem's prompt and its longest completion must fit the policy's context together: a sequence past
/// <c>max_position_embeddings</c> has no rotary position, and the sampler would fail on it in the middle of a run (a
/// rollout worker's batch, retried and faulted) or of an evaluation. Checked before either starts, over every problem
/// that can be named then (<see cref="ITaskSource.Listed"/>), with the prompts tokenised exactly as the rollout worker
/// and the evaluator tokenise them.</summary>
public static class PromptLengths
{
    /// <exception cref="ArgumentException">A prompt does not fit; the message names the first such problem (its id
    /// and file line), its length and the context, and counts the others.</exception>
    public static void Check(IEnumerable<Problem> problems, PromptTokens prompts, int maxTokens, int positions)
    {
        int room = positions - maxTokens;
        var tooLong = problems
            .Select(p => (Problem: p, Tokens: prompts.ForQuestion(p.Question).Length))
            .Where(p => p.Tokens > room)
            .ToList();
        if (tooLong.Count == 0) return;
        var (first, tokens) = tooLong[0];
        var others = tooLong.Count == 1 ? "" : $"; {tooLong.Count - 1} more problem(s) are too long: " +
            string.Join(", ", tooLong.Skip(1).Take(5).Select(p => $"'{p.Problem.Id}'")) + (tooLong.Count > 6 ? ", …" : "");
        throw new ArgumentException(
            $"{first.Describe()} has a prompt of {tokens} tokens: with Run:MaxTokens {maxTokens} it needs {tokens + maxTokens} " +
            $"positions, but the policy has {positions} (max_position_embeddings), so a prompt may have at most {Math.Max(0, room)}{others}");
    }
}

using Pipeline.Contracts;
using Pipeline.Verifier.Rewards;

namespace Pipeline.Verifier;

/// <summary>Scores every completion of a generated group with the rules of its prompt's task.</summary>
public sealed class GroupScorer(CompletionScorerRouter router)
{
    /// <exception cref="ScoringInputException">The group is malformed (a missing prompt, completion or text)
    /// or its task kind is unknown.</exception>
    public RolloutGroupScored Score(RolloutGroupGenerated group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var where = $"group (run {group.RunId}, batch {group.BatchId}, prompt {group.PromptId})";
        var prompt = group.Prompt ?? throw new ScoringInputException($"{where} has no prompt");
        var completions = group.Completions ?? throw new ScoringInputException($"{where} has no completions");
        var reference = prompt.Reference ?? throw new ScoringInputException($"{where} has no reference answer");
        var scorer = router.Resolve(prompt.Task);

        var scores = new CompletionScore[completions.Count];
        for (int i = 0; i < completions.Count; i++)
        {
            var completion = completions[i] ?? throw new ScoringInputException($"{where}: completion #{i} is missing");
            var text = completion.Text
                ?? throw new ScoringInputException($"{where}: completion {completion.Index} has no text");
            try
            {
                scores[i] = scorer.Score(completion.Index, text, reference);
            }
            catch (ScoringInputException e)
            {
                throw new ScoringInputException($"{where}: {e.Message}", e);
            }
        }

        return new RolloutGroupScored
        {
            RunId = group.RunId,
            BatchId = group.BatchId,
            PromptId = group.PromptId,
            PolicyVersion = group.PolicyVersion,
            Prompt = prompt,
            Completions = completions,
            Scores = scores,
        };
    }
}

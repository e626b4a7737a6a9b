using System.Diagnostics;
using Pipeline.Contracts;
using Pipeline.Rewards;

namespace Pipeline.Verifier;

/// <summary>Scores every completion of a generated group with the rules of its prompt's task. Rule-based kinds
/// finish on the calling thread; kinds that run programs score the group's completions concurrently (their runs
/// are bounded by the sandbox, not here).</summary>
public sealed class GroupScorer(CompletionScorerRouter router)
{
    /// <exception cref="ScoringInputException">The group is malformed (a missing prompt, completion or text)
    /// or its task kind is unknown.</exception>
    public async Task<RolloutGroupScored> ScoreAsync(RolloutGroupGenerated group, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        var where = $"group (run {group.RunId}, batch {group.BatchId}, prompt {group.PromptId})";
        var prompt = group.Prompt ?? throw new ScoringInputException($"{where} has no prompt");
        var completions = group.Completions ?? throw new ScoringInputException($"{where} has no completions");
        var reference = prompt.Reference ?? throw new ScoringInputException($"{where} has no reference answer");
        var scorer = router.Resolve(prompt.Task);

        var texts = new string[completions.Count];
        for (int i = 0; i < completions.Count; i++)
        {
            var completion = completions[i] ?? throw new ScoringInputException($"{where}: completion #{i} is missing");
            texts[i] = completion.Text
                ?? throw new ScoringInputException($"{where}: completion {completion.Index} has no text");
        }

        var clock = Stopwatch.StartNew();
        CompletionScore[] scores;
        try
        {
            scores = await Task.WhenAll(completions.Select(
                (completion, i) => scorer.ScoreAsync(completion.Index, texts[i], reference, cancellationToken).AsTask()));
        }
        catch (ScoringInputException e)
        {
            throw new ScoringInputException($"{where}: {e.Message}", e);
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
            GenerationSeconds = group.GenerationSeconds,
            ScoringSeconds = clock.Elapsed.TotalSeconds,
        };
    }
}

using Pipeline.Contracts;

namespace Pipeline.Learner.Training;

/// <summary>The lengths, in tokens, of every completion of a batch (TRL's <c>completions/mean_length</c>,
/// <c>min_length</c>, <c>max_length</c>, <c>clipped_ratio</c>), before dynamic sampling drops any.</summary>
/// <param name="ClippedRatio">the share of completions cut off by the token budget (finish reason <c>length</c>)</param>
/// <param name="CompletionTokens">the completions' tokens together: what the rollout worker sampled</param>
/// <param name="Tokens">prompt plus completion tokens of every completion: what the learner's forward pass reads</param>
public sealed record CompletionLengths(double Mean, int Min, int Max, double ClippedRatio, long CompletionTokens, long Tokens)
{
    public const string Clipped = "length";

    public static CompletionLengths Of(IReadOnlyList<RolloutGroupScored> groups, Func<string, int> promptTokens)
    {
        var lengths = groups.SelectMany(g => g.Completions).Select(c => c.TokenIds.Length / sizeof(int)).ToArray();
        long prompts = groups.Sum(g => (long)promptTokens(g.Prompt.Text) * g.Completions.Count);
        return new CompletionLengths(lengths.Average(), lengths.Min(), lengths.Max(),
            groups.SelectMany(g => g.Completions).Count(c => c.FinishReason == Clipped) / (double)lengths.Length,
            lengths.Sum(l => (long)l), prompts + lengths.Sum(l => (long)l));
    }
}

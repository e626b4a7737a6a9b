using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Tasks;

namespace Pipeline.Rewards;

/// <summary>DeepSeek-R1's rule-based rewards (§2.2.2) for tasks with one final answer: accuracy
/// (<see cref="AnswerExtractor"/> + <see cref="AnswerComparer"/>) and format (<see cref="FormatRule"/>),
/// weighted by <see cref="RewardOptions"/>; verdicts as in <see cref="Verdicts"/>. Linear in the completion's
/// length, so a 1 MB completion costs milliseconds.</summary>
public sealed class MathScorer(IOptions<RewardOptions> options) : IRuleScorer
{

    public string Kind => TaskKinds.Math;

    public IReadOnlyCollection<string> Aliases { get; } = ["arithmetic"];

    public CompletionScore Score(int index, string completion, string reference)
    {
        ArgumentNullException.ThrowIfNull(completion);
        ArgumentNullException.ThrowIfNull(reference);
        var expected = AnswerComparer.Normalize(reference);
        if (expected.Length == 0)
            throw new ScoringInputException("the reference answer is empty");

        var answer = AnswerExtractor.FinalAnswer(completion) is { } raw ? AnswerComparer.Normalize(raw) : "";
        var outcome = answer.Length == 0 ? Verdicts.NoAnswer
            : AnswerComparer.NormalizedEquivalent(answer, expected) ? Verdicts.Correct
            : Verdicts.WrongAnswer;
        bool formatSatisfied = FormatRule.IsSatisfied(completion);

        double accuracy = outcome == Verdicts.Correct ? 1 : 0;
        double format = formatSatisfied ? 1 : 0;
        var weights = options.Value;
        return new CompletionScore
        {
            Index = index,
            Reward = weights.AccuracyWeight * accuracy + weights.FormatWeight * format,
            Components = new Dictionary<string, double>
            {
                [RewardComponents.Accuracy] = accuracy,
                [RewardComponents.Format] = format,
            },
            Verdict = Verdicts.Of(outcome, formatSatisfied),
        };
    }
}

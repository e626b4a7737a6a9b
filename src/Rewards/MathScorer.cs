using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Rewards.Math;
using Pipeline.Tasks;

namespace Pipeline.Rewards;

/// <summary>DeepSeek-R1's rule-based rewards (§2.2.2) for tasks with one final answer: accuracy and format
/// (<see cref="FormatRule"/>), weighted by <see cref="RewardOptions"/>; verdicts as in <see cref="Verdicts"/>.
/// The answer span is the last <c>&lt;answer&gt;</c> pair (else the last <c>\boxed{}</c>,
/// <see cref="AnswerExtractor"/>). Where it and the reference are both plain numbers (the demo's arithmetic) they are
/// compared as exact rationals at once; anything else is judged as Math-Verify judges it
/// (<see cref="MathJudge"/>), in bounded work.</summary>
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

        var raw = AnswerExtractor.FinalAnswer(completion);
        var answer = raw is null ? "" : AnswerComparer.Normalize(raw);
        var outcome = answer.Length == 0 ? Verdicts.NoAnswer
            : AnswerComparer.TryCompareNumbers(answer, expected, out bool equal)
                ? equal ? Verdicts.Equivalent : Verdicts.NotEquivalent
            : MathJudge.Judge(raw!, reference, options.Value.MathDecimalTolerance).Verdict;
        bool formatSatisfied = FormatRule.IsSatisfied(completion);

        double accuracy = outcome is Verdicts.Equivalent or Verdicts.NumericMatch ? 1 : 0;
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

    /// <summary>The judgement with the parsed forms of reference and answer, for <c>pipeline verify --explain</c>:
    /// always through <see cref="MathJudge"/>, which reaches the fast path's verdict on plain numbers.</summary>
    public MathJudgement Explain(string completion, string reference)
    {
        ArgumentNullException.ThrowIfNull(completion);
        ArgumentNullException.ThrowIfNull(reference);
        var raw = AnswerExtractor.FinalAnswer(completion);
        return raw is null || AnswerComparer.Normalize(raw).Length == 0
            ? new MathJudgement(Verdicts.NoAnswer, MathJudge.Read(reference)?.ToString(), null)
            : MathJudge.Judge(raw, reference, options.Value.MathDecimalTolerance);
    }
}

using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Tasks;
using Pipeline.Tasks.Countdown;

namespace Pipeline.Rewards.Countdown;

/// <summary>The reward of TinyZero's Countdown task (verl/utils/reward_score/countdown.py, <c>compute_score</c>:
/// 1 for a correct equation, a <c>format_score</c> of 0.1 otherwise when there is an answer, 0 when there is none),
/// combined with DeepSeek-R1's format reward as <see cref="MathScorer"/> combines it:
/// <code>reward = AccuracyWeight·(accuracy + CountdownPartialReward·partial) + FormatWeight·format</code>
/// where accuracy is 1 for <c>correct</c>, partial is 1 for <c>wrong-value</c> (a well-formed equation over exactly
/// the given numbers that misses the target) and format is <see cref="FormatRule"/>; verdicts from
/// <see cref="CountdownRule"/>, with <c>,bad-format</c> as for math.
/// Deliberate deviations from TinyZero:
/// <list type="bullet">
/// <item>TinyZero's 0.1 goes to any answer at all — wrong numbers, unreadable, a division by zero, even an empty
/// one. That 0.1 is its only format reward; here <see cref="FormatRule"/> pays for the structure, so partial credit
/// is kept for what only this rule can tell: a genuine attempt that uses the numbers right and misses. Every other
/// answer earns no accuracy or partial reward.</item>
/// <item>The answer is the last <c>&lt;answer&gt;…&lt;/answer&gt;</c> pair anywhere in the completion
/// (<see cref="AnswerExtractor.TaggedAnswer"/>, no <c>\boxed{}</c>); TinyZero looks on the completion's last line
/// only.</item>
/// <item>The equation is parsed, never evaluated as code, with exact arithmetic and bounds
/// (<see cref="EquationParser"/>, <see cref="CountdownRule"/>).</item>
/// </list>
/// The reference is a <see cref="CountdownPuzzle.Reference"/>, "3,7,25,50=171". Linear in the completion's length.</summary>
public sealed class CountdownScorer(IOptions<RewardOptions> options) : IRuleScorer
{
    public string Kind => TaskKinds.Countdown;

    public CompletionScore Score(int index, string completion, string reference)
    {
        ArgumentNullException.ThrowIfNull(completion);
        ArgumentNullException.ThrowIfNull(reference);
        if (!CountdownPuzzle.TryParseReference(reference, out var puzzle))
            throw new ScoringInputException(
                $"'{(reference.Length > 80 ? reference[..80] + "…" : reference)}' is not a Countdown reference such as 3,7,25,50=171");

        var outcome = CountdownRule.Judge(AnswerExtractor.TaggedAnswer(completion), puzzle);
        bool formatSatisfied = FormatRule.IsSatisfied(completion);

        double accuracy = outcome == Verdicts.Correct ? 1 : 0;
        double partial = outcome == Verdicts.WrongValue ? 1 : 0;
        double format = formatSatisfied ? 1 : 0;
        var weights = options.Value;
        return new CompletionScore
        {
            Index = index,
            Reward = weights.AccuracyWeight * (accuracy + weights.CountdownPartialReward * partial) + weights.FormatWeight * format,
            Components = new Dictionary<string, double>
            {
                [RewardComponents.Accuracy] = accuracy,
                [RewardComponents.Format] = format,
                [RewardComponents.Partial] = partial,
            },
            Verdict = Verdicts.Of(outcome, formatSatisfied),
        };
    }
}

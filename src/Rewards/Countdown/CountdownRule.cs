using System.Numerics;
using Pipeline.Tasks.Countdown;

namespace Pipeline.Rewards.Countdown;

/// <summary>Judges a Countdown answer (TinyZero's <c>compute_score</c>, verl/utils/reward_score/countdown.py),
/// checked in this order, the first that applies deciding:
/// <list type="number">
/// <item><c>no-answer</c>: no answer, or a blank one.</item>
/// <item><c>malformed</c> or <c>too-complex</c>: the answer is not an equation of <see cref="EquationParser"/>'s
/// grammar, or passes one of its bounds.</item>
/// <item><c>numbers-mismatch</c>: the numbers written are not the given ones as a multiset — a number reused,
/// missing, extra, or one not given at all. The number after '=' is not counted.</item>
/// <item><c>division-by-zero</c>, or <c>too-complex</c> for a value past the bound.</item>
/// <item><c>correct</c> when the value is exactly the target and a number after '=', if written, is the target too;
/// otherwise <c>wrong-value</c> (so "3+4=8" for a target of 7 is wrong: it claims a false equation).</item>
/// </list>
/// Where TinyZero differs: it compares the value in floating point within 1e-5 (here exact rationals, so (7/3)*3 is
/// exactly 7); it counts every run of digits in the text as a number used (here the numbers of the parsed
/// expression); and its character whitelist rejects '=', so "… = 171" fails there.</summary>
public static class CountdownRule
{
    /// <param name="answer">the answer's text (<see cref="AnswerExtractor.TaggedAnswer"/>), null when there is none</param>
    public static string Judge(string? answer, CountdownPuzzle puzzle)
    {
        ArgumentNullException.ThrowIfNull(puzzle);
        if (string.IsNullOrWhiteSpace(answer))
            return Verdicts.NoAnswer;
        if (!EquationParser.TryParse(answer, out var equation, out var failure))
            return failure;
        if (!SameNumbers(equation.Numbers, puzzle.Numbers))
            return Verdicts.NumbersMismatch;
        if (equation.EvaluationFailure is { } evaluationFailure)
            return evaluationFailure;
        bool reachesTarget = equation.Value == Rational.FromInteger(puzzle.Target)
            && (equation.RightSide is not { } claimed || claimed == puzzle.Target);
        return reachesTarget ? Verdicts.Correct : Verdicts.WrongValue;
    }

    /// <summary>Multiset equality: the same numbers, each as often.</summary>
    static bool SameNumbers(IReadOnlyList<BigInteger> written, IReadOnlyList<int> given) =>
        written.Count == given.Count
        && written.Order().SequenceEqual(given.Select(n => new BigInteger(n)).Order());
}

using System.Numerics;

namespace Pipeline.Rewards.Countdown;

/// <summary>What a syntactically valid Countdown answer says (<see cref="EquationParser"/>).</summary>
/// <param name="Numbers">every number of the expression, in the order written; not the one after '='</param>
/// <param name="Value">the expression's exact value; null when <paramref name="EvaluationFailure"/> says why there is none</param>
/// <param name="EvaluationFailure"><see cref="Verdicts.DivisionByZero"/> or <see cref="Verdicts.TooComplex"/>, the
/// first that evaluating left to right met; null when the value was computed</param>
/// <param name="RightSide">the number after a trailing '=', or null when the answer has none</param>
public sealed record ParsedEquation(IReadOnlyList<BigInteger> Numbers, Rational? Value, string? EvaluationFailure, BigInteger? RightSide);

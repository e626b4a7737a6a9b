namespace Pipeline.Rewards;

/// <summary>Every verdict the verifier writes, in one place.
/// <list type="bullet">
/// <item>Math answers (<see cref="Math.MathJudge"/>), each saying why: <c>equivalent</c> (the same value, set,
/// interval or relation, exactly), <c>numeric-match</c> (the same within the stated tolerance: a decimal against an
/// exact value, or radicals and transcendental constants), <c>not-equivalent</c>, <c>unparsable</c> (the answer or
/// the reference could not be read, and their texts differ) and <c>too-complex</c> (past a bound on size, nesting,
/// exponents or work); the first two earn the accuracy reward.</item>
/// <item><c>no-answer</c>: no <c>&lt;answer&gt;</c> pair and no <c>\boxed{}</c>, or an empty one.</item>
/// <item>Each gets the suffix <c>,bad-format</c> when the format rule fails, e.g.
/// <c>equivalent,bad-format</c> for a right answer given only as <c>\boxed{}</c>.</item>
/// <item><c>invalid-input</c>: the JSONL verifier could not score the line at all (the reward is then 0).</item>
/// <item>Countdown equations (<see cref="Countdown.CountdownRule"/>) have <c>correct</c> (they reach the target),
/// <c>no-answer</c>, <c>wrong-value</c> (well formed, the given numbers each used once, but not equal to the target),
/// <c>numbers-mismatch</c> (a number reused, missing, extra or not given), <c>division-by-zero</c>, <c>malformed</c>
/// (not an equation of the grammar) and <c>too-complex</c> (past a bound on length, nesting or the size of a value).
/// They take the <c>,bad-format</c> suffix the same way.</item>
/// <item>Code tasks have their own verdicts (<see cref="Code.CodeVerdict"/>): <c>accepted</c>, <c>wrong-answer</c>,
/// <c>runtime-error</c>, <c>time-limit</c>, <c>memory-limit</c>, <c>output-limit</c>, <c>bad-format</c> and
/// <see cref="SandboxError"/>.</item>
/// </list></summary>
public static class Verdicts
{
    public const string Equivalent = "equivalent";
    public const string NumericMatch = "numeric-match";
    public const string NotEquivalent = "not-equivalent";
    public const string Unparsable = "unparsable";
    public const string NoAnswer = "no-answer";
    public const string BadFormatSuffix = ",bad-format";
    public const string InvalidInput = "invalid-input";

    public const string Correct = "correct";
    public const string WrongValue = "wrong-value";
    public const string NumbersMismatch = "numbers-mismatch";
    public const string DivisionByZero = "division-by-zero";
    public const string Malformed = "malformed";
    public const string TooComplex = "too-complex";

    /// <summary>The verifier's own sandbox failed or could not be established: no reward, never a pass.</summary>
    public const string SandboxError = "sandbox-error";

    public static string Of(string outcome, bool formatSatisfied) =>
        formatSatisfied ? outcome : outcome + BadFormatSuffix;
}

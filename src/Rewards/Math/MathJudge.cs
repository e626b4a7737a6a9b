using System.Text.RegularExpressions;

namespace Pipeline.Rewards.Math;

/// <summary>The verdict on one answer and the forms it was judged on (for <c>pipeline verify --explain</c>).</summary>
public sealed record MathJudgement(string Verdict, string? ReferenceForm, string? AnswerForm)
{
    public bool IsMatch => Verdict is MathJudge.Equivalent or MathJudge.NumericMatch;
}

/// <summary>Judges a math answer against its reference as Hugging Face Math-Verify does (extraction, LaTeX and plain
/// math parsing, equivalence), without executing anything and in bounded work: <see cref="MathAnswerExtractor"/>
/// → <see cref="LatexNormalizer"/> → <see cref="MathParser"/> → <see cref="MathEquivalence"/>.
/// Verdicts: <c>equivalent</c> (exactly the same value, set, relation…), <c>numeric-match</c> (the same within a
/// stated tolerance: a decimal against an exact value, or radicals and transcendental constants), <c>not-equivalent</c>,
/// <c>unparsable</c> (either side could not be read, and their texts differ) and <c>too-complex</c> (past a bound of
/// <see cref="MathLimits"/>).</summary>
public static partial class MathJudge
{
    public const string Equivalent = Verdicts.Equivalent;
    public const string NumericMatch = Verdicts.NumericMatch;
    public const string NotEquivalent = Verdicts.NotEquivalent;
    public const string Unparsable = Verdicts.Unparsable;
    public const string TooComplex = Verdicts.TooComplex;

    /// <summary>A text longer than this (an answer span, or a reference) is not searched for an answer.</summary>
    public const int MaxTextLength = 20_000;

    /// <param name="answer">the completion's answer span</param>
    /// <param name="reference">the reference answer (it may itself be a worked solution with a box)</param>
    /// <param name="decimalTolerance">relative tolerance for a decimal against an exact value</param>
    public static MathJudgement Judge(string answer, string reference, double decimalTolerance)
    {
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(reference);
        if (answer.Length > MaxTextLength || reference.Length > MaxTextLength)
            return new MathJudgement(TooComplex, null, null);
        try
        {
            var referenceTree = Read(reference);
            var answerTree = Read(answer);
            if (referenceTree is null || answerTree is null)
                return new MathJudgement(
                    SameText(answer, reference) ? Equivalent : Unparsable, referenceTree?.ToString(), answerTree?.ToString());
            var outcome = new MathEquivalence(decimalTolerance).Compare(referenceTree, answerTree);
            var verdict = outcome switch
            {
                MathOutcome.Equivalent => Equivalent,
                MathOutcome.NumericMatch => NumericMatch,
                _ => NotEquivalent,
            };
            return new MathJudgement(verdict, referenceTree.ToString(), answerTree.ToString());
        }
        catch (Exception e) when (e is MathTooComplexException or RegexMatchTimeoutException or InsufficientExecutionStackException)
        {
            return new MathJudgement(TooComplex, null, null);
        }
    }

    /// <summary>The tree of the first candidate the parser reads; null when none reads.</summary>
    /// <exception cref="MathTooComplexException">a candidate, in turn, is past the length or nesting bound: the
    /// answer is too complex, and no later candidate (a number picked out of it) stands in for it</exception>
    public static MathNode? Read(string text)
    {
        foreach (var candidate in MathAnswerExtractor.Candidates(text))
        {
            if (candidate.Text.Length > MathLimits.MaxAnswerLength * 4)
                throw new MathTooComplexException($"an answer of {candidate.Text.Length} characters");
            var normalized = LatexNormalizer.Normalize(candidate.Text, candidate.Plain);
            if (normalized.Length == 0)
                continue;
            if (normalized.Length > MathLimits.MaxAnswerLength || Nesting(normalized) > MathLimits.MaxNesting)
                throw new MathTooComplexException("the answer is too long or nested too deeply");
            if (MathParser.TryParse(normalized) is { } tree)
                return tree;
        }
        return null;
    }

    /// <summary>How deeply the parser would recurse: brackets and braces, and also runs of commands or signs whose
    /// argument is the next token without braces (<c>\sqrt\sqrt\sqrt…</c>, <c>\frac--1 2</c>).</summary>
    static int Nesting(string text)
    {
        if (UnbracedRun().IsMatch(text))
            return int.MaxValue;
        int depth = 0, deepest = 0;
        foreach (char c in text)
        {
            if (c is '(' or '[' or '{')
                deepest = System.Math.Max(deepest, ++depth);
            else if (c is ')' or ']' or '}')
                depth = System.Math.Max(0, depth - 1);
        }
        return deepest;
    }

    [GeneratedRegex(@"(?:\\[a-zA-Z]+\s*|[-+]\s*){16,}")]
    private static partial Regex UnbracedRun();

    static bool SameText(string answer, string reference) =>
        string.Equals(AnswerComparer.Normalize(answer), AnswerComparer.Normalize(reference), StringComparison.Ordinal);
}

using System.Text.RegularExpressions;

namespace Pipeline.Tasks.Countdown;

/// <summary>
/// The rule that says whether a Countdown completion verified itself: it checked a result against the target, the
/// check failed, and it went on to compute more — "25*7=175 175-3=172 (172 vs 171: no)" (or "(172 != 171)") followed by another step
/// "a op b = c". A check that passes, or a failed check the completion then ignores (it answers straight away), does
/// not count. Text only, so it applies to any policy's completions, and to the checks written with the corpus's
/// notation (<see cref="CountdownCorpus.Check"/>); a model that invents another notation is not detected, and the rate
/// is a lower bound.
/// </summary>
public static partial class SelfVerification
{
    public static bool Detect(string completion)
    {
        foreach (Match check in FailedCheck().Matches(completion))
            if (Step().IsMatch(completion.AsSpan(check.Index + check.Length)))
                return true;
        return false;
    }

    [GeneratedRegex(@"\(\s*-?\d+\s*(?:!=\s*-?\d+|vs\s*-?\d+\s*:\s*no)\s*\)", RegexOptions.CultureInvariant)]
    private static partial Regex FailedCheck();

    [GeneratedRegex(@"\d+\s*[-+*/]\s*\d+\s*=\s*-?\d+", RegexOptions.CultureInvariant)]
    private static partial Regex Step();
}

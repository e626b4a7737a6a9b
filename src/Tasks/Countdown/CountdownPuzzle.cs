using System.Globalization;

namespace Pipeline.Tasks.Countdown;

/// <summary>One Countdown problem: the numbers as shown to the policy and the target. Its
/// <see cref="Reference"/> ("3,7,25,50=171") is what travels to the verifier, which reads it back with
/// <see cref="TryParseReference"/>; two puzzles are the same problem when their <see cref="Key"/>s are equal (the
/// order the numbers are shown in changes nothing). Compare puzzles by <see cref="Key"/>, not by record equality,
/// which compares the number arrays by reference.</summary>
public sealed record CountdownPuzzle(IReadOnlyList<int> Numbers, int Target)
{
    /// <summary>The numbers in the order shown, comma-separated, then '=' and the target: "3,7,25,50=171".</summary>
    public string Reference => Format(Numbers, Target);

    /// <summary>The reference of the numbers in ascending order: equal for the same multiset of numbers and target.</summary>
    public string Key => Format(Numbers.Order(), Target);

    /// <summary>TinyZero's question less its tag instructions (DeepSeek-R1's template already asks for
    /// &lt;think&gt; and &lt;answer&gt;). No final full stop: the template adds ". Assistant:" after the question.</summary>
    public string Question =>
        $"Using the numbers [{string.Join(", ", Numbers.Select(Invariant))}], create an equation that equals {Invariant(Target)}. " +
        "You can use + - * / and each number exactly once";

    /// <summary>Reads a reference: one or more non-negative whole numbers separated by commas, '=', and a whole
    /// target (it may be negative); spaces around each part are allowed.</summary>
    public static bool TryParseReference(string reference, out CountdownPuzzle puzzle)
    {
        ArgumentNullException.ThrowIfNull(reference);
        puzzle = null!;
        int equals = reference.IndexOf('=');
        if (equals < 0 || !int.TryParse(reference.AsSpan(equals + 1).Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int target))
            return false;
        var numbers = new List<int>();
        var head = reference.AsSpan(0, equals);
        foreach (var range in head.Split(','))
        {
            if (!int.TryParse(head[range].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int number))
                return false;
            numbers.Add(number);
        }
        puzzle = new CountdownPuzzle(numbers, target);
        return true;
    }

    static string Format(IEnumerable<int> numbers, int target) =>
        $"{string.Join(",", numbers.Select(Invariant))}={Invariant(target)}";

    static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}

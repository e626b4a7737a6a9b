using System.Globalization;

namespace Pipeline.Tasks.Countdown;

/// <summary>One try at a Countdown puzzle as a search trace writes it: the numbers combined two at a time until one
/// value is left, every step written out ("25*7=175"), and the whole as one expression ("25*7-3"). Every
/// intermediate value is a positive whole number: subtraction takes the smaller from the larger, division only where
/// it divides exactly. <see cref="CountdownGenerator"/> builds its puzzles with the same procedure.</summary>
public sealed record CountdownAttempt(IReadOnlyList<string> Steps, long Value, string Expression)
{
    const string Operations = "+-*/";

    /// <summary>A random try over all of <paramref name="numbers"/>, each used once: deterministic for a given
    /// <paramref name="random"/> state.</summary>
    /// <param name="divideByOne">whether "x/1" may be a step: a puzzle's construction allows it, while a trace's try
    /// does not (a step that changes nothing teaches nothing)</param>
    public static CountdownAttempt Random(IReadOnlyList<int> numbers, Random random, bool divideByOne = false)
    {
        var pool = numbers.Select(n => new Term(n, Invariant(n), Precedence.Atom)).ToList();
        var steps = new List<string>();
        while (pool.Count > 1)
        {
            var left = Take(pool, random);
            var right = Take(pool, random);
            var (term, step) = Apply(left, right, random, divideByOne);
            steps.Add(step);
            pool.Add(term);
        }
        return new CountdownAttempt(steps, pool[0].Value, pool[0].Text);
    }

    static Term Take(List<Term> pool, Random random)
    {
        int i = random.Next(pool.Count);
        var term = pool[i];
        pool.RemoveAt(i);
        return term;
    }

    /// <summary>
    /// Every try over all of <paramref name="numbers"/> in one fixed order, the order a search trace works through
    /// (<see cref="CountdownCorpus"/>): pairs of what is left in the order written (a new value goes first, so the
    /// running value leads: "2*3=6 6*4=24"), and for each pair the operations in <see cref="SearchOrder"/>, skipping
    /// those that would not give a positive whole number and division by one. Depth first: the first pair's first operation is combined with the rest in every way
    /// before its second operation is tried. Three numbers give at most 3 × 4 × 4 = 48 tries.
    /// </summary>
    public static IEnumerable<CountdownAttempt> InSearchOrder(IReadOnlyList<int> numbers)
    {
        var pool = numbers.Select(n => new Term(n, Invariant(n), Precedence.Atom)).ToList();
        return Search(pool, []);
    }

    /// <summary>The order in which a search tries operations: '×' first, so that the first try (everything multiplied)
    /// is rarely a target of at most 100.</summary>
    public const string SearchOrder = "*+-/";

    static IEnumerable<CountdownAttempt> Search(List<Term> pool, List<string> steps)
    {
        if (pool.Count == 1)
        {
            yield return new CountdownAttempt([.. steps], pool[0].Value, pool[0].Text);
            yield break;
        }
        for (int i = 0; i < pool.Count; i++)
            for (int j = i + 1; j < pool.Count; j++)
                foreach (char op in SearchOrder)
                {
                    if (TryApply(pool[i], pool[j], op, divideByOne: false) is not { } applied) continue;
                    var rest = pool.Where((_, k) => k != i && k != j).Prepend(applied.Term).ToList();
                    foreach (var attempt in Search(rest, [.. steps, applied.Step]))
                        yield return attempt;
                }
    }

    /// <summary>A random operation that keeps the result a positive whole number ('+' and '×' always do).</summary>
    static (Term Term, string Step) Apply(Term a, Term b, Random random, bool divideByOne)
    {
        int start = random.Next(Operations.Length);
        for (int k = 0; k < Operations.Length; k++)
            if (TryApply(a, b, Operations[(start + k) % Operations.Length], divideByOne) is { } applied)
                return applied;
        throw new InvalidOperationException("unreachable: addition always applies");
    }

    /// <summary>a op b as a step ("25*7=175") and a term, or null where the result would not be a positive whole
    /// number: subtraction takes the smaller from the larger, division only where it divides exactly.</summary>
    static (Term Term, string Step)? TryApply(Term a, Term b, char op, bool divideByOne)
    {
        var (larger, smaller) = a.Value >= b.Value ? (a, b) : (b, a);
        (Term Left, Term Right, long Value)? chosen = op switch
        {
            '+' => (a, b, checked(a.Value + b.Value)),
            '*' => (a, b, checked(a.Value * b.Value)),
            '-' when larger.Value > smaller.Value => (larger, smaller, larger.Value - smaller.Value),
            '/' when smaller.Value > 0 && larger.Value % smaller.Value == 0 && (divideByOne || smaller.Value != 1) => (larger, smaller, larger.Value / smaller.Value),
            _ => null,
        };
        if (chosen is not { } c) return null;
        string step = $"{Invariant(c.Left.Value)}{op}{Invariant(c.Right.Value)}={Invariant(c.Value)}";
        return (Join(c.Left, op, c.Right, c.Value), step);
    }

    /// <summary>Writes the fewest parentheses that keep the meaning: an operand in brackets only when it binds
    /// more loosely than the operation, or equally on the right of '-' or '/' (a-(b-c), a/(b*c)).</summary>
    static Term Join(Term left, char op, Term right, long value)
    {
        var precedence = op is '+' or '-' ? Precedence.Sum : Precedence.Product;
        bool wrapLeft = left.Precedence < precedence;
        bool wrapRight = right.Precedence < precedence || (right.Precedence == precedence && op is '-' or '/');
        string text = $"{(wrapLeft ? $"({left.Text})" : left.Text)}{op}{(wrapRight ? $"({right.Text})" : right.Text)}";
        return new Term(value, text, precedence);
    }

    static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    enum Precedence { Sum, Product, Atom }

    sealed record Term(long Value, string Text, Precedence Precedence);
}

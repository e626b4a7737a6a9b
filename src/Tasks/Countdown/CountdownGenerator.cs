using System.Globalization;

namespace Pipeline.Tasks.Countdown;

/// <summary>A generated puzzle and the equation it was built from, which proves it solvable.</summary>
public sealed record CountdownConstruction(CountdownPuzzle Puzzle, string Solution);

/// <summary>Draws solvable Countdown puzzles. TinyZero trains on a fixed data set (Countdown-Tasks-3to4); here the
/// puzzles are made on the fly from a seed instead, by construction rather than by search: draw the numbers, combine
/// two of them at random with a random operation until one value is left, and keep the draw when that value is a
/// target in 1..MaxTarget. Every puzzle is therefore solvable by its own <see cref="CountdownConstruction.Solution"/>.
/// Deliberately every intermediate value is a positive whole number (subtraction takes the smaller from the larger,
/// division only where it divides exactly), as in the television game: the construction stays an equation anyone
/// can check by hand. The verifier is more lenient and accepts fractions along the way.</summary>
public static class CountdownGenerator
{
    const string Operations = "+-*/";

    /// <summary>Deterministic for a given <paramref name="random"/> state: the same seed gives the same puzzles on
    /// every machine.</summary>
    public static CountdownConstruction Draw(Random random, CountdownOptions options)
    {
        int count = random.Next(options.MinNumbers, options.MaxNumbers + 1);
        var numbers = new int[count];
        while (true)
        {
            for (int i = 0; i < count; i++) numbers[i] = random.Next(1, options.MaxNumber + 1);
            var (value, text) = Combine(numbers, random);
            if (value >= 1 && value <= options.MaxTarget)
                return new CountdownConstruction(new CountdownPuzzle([.. numbers], (int)value), text);
        }
    }

    /// <summary>One random expression tree over all of <paramref name="numbers"/>, each used once.</summary>
    static (long Value, string Text) Combine(int[] numbers, Random random)
    {
        var pool = numbers.Select(n => new Term(n, n.ToString(CultureInfo.InvariantCulture), Precedence.Atom)).ToList();
        while (pool.Count > 1)
        {
            int i = random.Next(pool.Count);
            var left = pool[i];
            pool.RemoveAt(i);
            int j = random.Next(pool.Count);
            var right = pool[j];
            pool.RemoveAt(j);
            pool.Add(Apply(left, right, random));
        }
        return (pool[0].Value, pool[0].Text);
    }

    /// <summary>A random operation that keeps the result a positive whole number; '+' and '×' always do, so the
    /// operations are tried in a random order and one always applies.</summary>
    static Term Apply(Term a, Term b, Random random)
    {
        int start = random.Next(Operations.Length);
        for (int k = 0; k < Operations.Length; k++)
        {
            char op = Operations[(start + k) % Operations.Length];
            var (larger, smaller) = a.Value >= b.Value ? (a, b) : (b, a);
            Term? result = op switch
            {
                '+' => Join(a, '+', b, checked(a.Value + b.Value)),
                '*' => Join(a, '*', b, checked(a.Value * b.Value)),
                '-' when larger.Value > smaller.Value => Join(larger, '-', smaller, larger.Value - smaller.Value),
                '/' when larger.Value % smaller.Value == 0 => Join(larger, '/', smaller, larger.Value / smaller.Value),
                _ => null,
            };
            if (result is not null) return result;
        }
        throw new InvalidOperationException("unreachable: addition always applies");
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

    enum Precedence { Sum, Product, Atom }

    sealed record Term(long Value, string Text, Precedence Precedence);
}

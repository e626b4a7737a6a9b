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
    /// <summary>Deterministic for a given <paramref name="random"/> state: the same seed gives the same puzzles on
    /// every machine.</summary>
    public static CountdownConstruction Draw(Random random, CountdownOptions options)
    {
        int count = random.Next(options.MinNumbers, options.MaxNumbers + 1);
        var numbers = new int[count];
        while (true)
        {
            for (int i = 0; i < count; i++) numbers[i] = random.Next(1, options.MaxNumber + 1);
            var construction = CountdownAttempt.Random(numbers, random, divideByOne: true);
            if (construction.Value >= 1 && construction.Value <= options.MaxTarget)
                return new CountdownConstruction(new CountdownPuzzle([.. numbers], (int)construction.Value), construction.Expression);
        }
    }
}

namespace Pipeline.Tasks.Countdown;

/// <summary>
/// Countdown's training problems as pretraining draws them: the natural puzzles, thinned so that the line on which the
/// search order (<see cref="CountdownAttempt.InSearchOrder"/>) first reaches the target is spread evenly over the lines
/// a trace writes (1 to <see cref="CountdownCorpusOptions.MaxAttempts"/>, and "not within them").
/// Why: with the natural puzzles, hits cluster on lines 3–6, and a small base learned to say "yes" by the line it is on
/// rather than by comparing the value with the target (sampled checks: 13 % wrong, false "yes" on lines 2–6, false "no"
/// on line 1). With every line equally likely to hit, the line number predicts nothing and only the comparison does.
/// The held-out split and the training problems of a run are not thinned.
/// </summary>
public sealed class HitBalancedCountdown : ITaskSource
{
    /// <summary>Puzzles drawn once, from a fixed seed, to measure how often each line hits.</summary>
    const int CalibrationDraws = 4000;

    readonly CountdownTask _task;
    readonly int _maxAttempts;
    readonly double[] _accept;

    public HitBalancedCountdown(CountdownTask task, int maxAttempts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        _task = task;
        _maxAttempts = maxAttempts;
        var counts = new int[maxAttempts + 1];
        var random = new Random(0);
        for (int i = 0; i < CalibrationDraws; i++)
            counts[HitLine(task.NextTrainingConstruction(random).Puzzle, maxAttempts)]++;
        _accept = AcceptanceRates(counts);
    }

    public string Name => $"{_task.Name}, hits spread evenly over {_maxAttempts} lines";

    public IReadOnlyList<Problem> HeldOut => _task.HeldOut;

    public Problem NextTraining(Random random)
    {
        while (true)
        {
            var construction = _task.NextTrainingConstruction(random);
            if (random.NextDouble() < _accept[HitLine(construction.Puzzle, _maxAttempts)])
                return CountdownTask.ToProblem(construction.Puzzle);
        }
    }

    /// <summary>The line (1-based) of the first try in search order whose value is the target, or 0 when none of the
    /// first <paramref name="maxAttempts"/> is.</summary>
    public static int HitLine(CountdownPuzzle puzzle, int maxAttempts)
    {
        int line = 0;
        foreach (var attempt in CountdownAttempt.InSearchOrder(puzzle.Numbers))
        {
            if (++line > maxAttempts) return 0;
            if (attempt.Value == puzzle.Target) return line;
        }
        return 0;
    }

    /// <summary>The share of each bucket's puzzles to keep so that the kept buckets come out equal: the rarest bucket
    /// keeps all of its puzzles, the others as many as it has. A bucket rarer than half an even share is kept whole and
    /// does not set the level (else a line that almost never hits would thin all the others to nothing); an empty one
    /// keeps none.</summary>
    public static double[] AcceptanceRates(IReadOnlyList<int> counts)
    {
        double floor = counts.Sum() / (2.0 * counts.Count);
        double level = Math.Max(floor, counts.Where(c => c > 0).DefaultIfEmpty(1).Min());
        return [.. counts.Select(c => c == 0 ? 0 : Math.Min(1, level / c))];
    }
}

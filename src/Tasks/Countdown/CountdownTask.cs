namespace Pipeline.Tasks.Countdown;

/// <summary>TinyZero's Countdown as a task source: solvable puzzles drawn by <see cref="CountdownGenerator"/>, with a
/// fixed held-out split. Held-out and training problems are disjoint by <see cref="CountdownPuzzle.Key"/> — the
/// numbers as a multiset and the target —, so training never sees a held-out problem even with its numbers shown
/// in another order.</summary>
public sealed class CountdownTask : ITaskSource
{
    /// <summary>How many draws in a row may fail to find a new held-out problem, or a training problem, before the
    /// settings are judged to leave too few problems (e.g. MaxNumber 1); a failure, not a hang.</summary>
    const int MaxFruitlessDraws = 100_000;

    readonly CountdownOptions _options;
    readonly HashSet<string> _heldOutKeys = [];

    public CountdownTask(CountdownOptions options)
    {
        _options = options;
        var random = new Random(options.HeldOutSeed);
        var heldOut = new List<Problem>();
        int fruitless = 0;
        while (heldOut.Count < options.HeldOutSize)
        {
            var puzzle = CountdownGenerator.Draw(random, options).Puzzle;
            if (_heldOutKeys.Add(puzzle.Key))
            {
                heldOut.Add(ToProblem(puzzle, $"heldout-{heldOut.Count}"));
                fruitless = 0;
            }
            else if (++fruitless > MaxFruitlessDraws)
            {
                throw new ArgumentException($"Countdown:HeldOutSize ({options.HeldOutSize}) is more than the settings' problems allow: " +
                    $"only {heldOut.Count} distinct ones were found");
            }
        }
        HeldOut = heldOut;
    }

    public string Name =>
        $"countdown({_options.MinNumbers}-{_options.MaxNumbers} numbers up to {_options.MaxNumber}, targets up to {_options.MaxTarget})";

    public IReadOnlyList<Problem> HeldOut { get; }

    public Problem NextTraining(Random random) => ToProblem(NextTrainingConstruction(random).Puzzle);

    /// <summary>A training puzzle with the equation it was built from (for a pretraining corpus or a check).</summary>
    public CountdownConstruction NextTrainingConstruction(Random random)
    {
        for (int draw = 0; draw < MaxFruitlessDraws; draw++)
        {
            var construction = CountdownGenerator.Draw(random, _options);
            if (!_heldOutKeys.Contains(construction.Puzzle.Key)) return construction;
        }
        throw new InvalidOperationException($"{Name}: every problem drawn is held out; lower Countdown:HeldOutSize");
    }

    /// <summary>A puzzle as a problem; a training problem's id is its reference, as an arithmetic problem's is its
    /// question.</summary>
    public static Problem ToProblem(CountdownPuzzle puzzle, string? id = null) =>
        new(id ?? puzzle.Reference, puzzle.Question, puzzle.Reference, TaskKinds.Countdown);
}

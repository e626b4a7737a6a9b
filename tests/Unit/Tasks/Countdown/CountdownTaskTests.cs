using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Pipeline.Hosting;
using Pipeline.Rewards.Countdown;
using Pipeline.Tasks;
using Pipeline.Tasks.Countdown;

namespace Pipeline.Tests.Unit.Tasks.Countdown;

public sealed class CountdownTaskTests
{
    [Fact]
    public void Every_generated_problem_is_solvable_by_its_own_construction()
    {
        var options = new CountdownOptions();
        var random = new Random(11);

        for (int i = 0; i < 2000; i++)
        {
            var (puzzle, solution) = CountdownGenerator.Draw(random, options);

            // The verifier's own rule, not the generator's arithmetic, checks the construction.
            Assert.True(CountdownRule.Judge(solution, puzzle) == "correct", $"{puzzle.Reference}: {solution}");
            Assert.InRange(puzzle.Numbers.Count, 3, 4);
            Assert.All(puzzle.Numbers, n => Assert.InRange(n, 1, 99));
            Assert.InRange(puzzle.Target, 1, 100);
        }
    }

    [Theory]
    [InlineData(2, 2, 9, 20)]
    [InlineData(5, 6, 999, 1_000_000)]
    [InlineData(6, 6, 1, 6)]
    public void Other_settings_give_solvable_problems_of_their_shape(int minNumbers, int maxNumbers, int maxNumber, int maxTarget)
    {
        var options = new CountdownOptions { MinNumbers = minNumbers, MaxNumbers = maxNumbers, MaxNumber = maxNumber, MaxTarget = maxTarget };
        var random = new Random(12);

        for (int i = 0; i < 300; i++)
        {
            var (puzzle, solution) = CountdownGenerator.Draw(random, options);

            Assert.True(CountdownRule.Judge(solution, puzzle) == "correct", $"{puzzle.Reference}: {solution}");
            Assert.InRange(puzzle.Numbers.Count, minNumbers, maxNumbers);
            Assert.All(puzzle.Numbers, n => Assert.InRange(n, 1, maxNumber));
            Assert.InRange(puzzle.Target, 1, maxTarget);
        }
    }

    [Fact]
    public void Solutions_are_plain_ascii_equations_and_bracket_only_where_needed()
    {
        var random = new Random(13);
        var solutions = Enumerable.Range(0, 500).Select(_ => CountdownGenerator.Draw(random, new CountdownOptions()).Solution).ToArray();

        Assert.All(solutions, s => Assert.Matches(@"^[0-9+\-*/()]+$", s));
        // Products and quotients of single numbers need no brackets: a*b is never written (a)*(b).
        Assert.DoesNotContain(solutions, s => System.Text.RegularExpressions.Regex.IsMatch(s, @"\(\d+\)"));
        Assert.Contains(solutions, s => s.Contains('('));
        Assert.Contains(solutions, s => !s.Contains('('));
    }

    [Fact]
    public void The_held_out_split_is_deterministic_distinct_and_of_the_configured_size()
    {
        var options = new CountdownOptions { HeldOutSize = 300 };

        var first = new CountdownTask(options).HeldOut;
        var second = new CountdownTask(options).HeldOut;
        var otherSeed = new CountdownTask(new CountdownOptions { HeldOutSize = 300, HeldOutSeed = 7 }).HeldOut;

        Assert.Equal(300, first.Count);
        Assert.Equal(first, second);
        Assert.Equal(300, first.Select(Key).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"heldout-{i}"), first.Select(p => p.Id));
        Assert.All(first, p => Assert.Equal(TaskKinds.Countdown, p.Kind));
        Assert.NotEqual(first.Select(p => p.Reference), otherSeed.Select(p => p.Reference));
    }

    [Fact]
    public void Training_never_draws_a_held_out_problem_even_with_its_numbers_reordered()
    {
        // Two numbers of 1..3 with targets up to 9: few enough keys that training draws every one many times over.
        var options = new CountdownOptions { MinNumbers = 2, MaxNumbers = 2, MaxNumber = 3, MaxTarget = 9, HeldOutSize = 5 };
        var task = new CountdownTask(options);
        var heldOut = task.HeldOut.Select(Key).ToHashSet();
        var random = new Random(3);

        var drawn = Enumerable.Range(0, 5000).Select(_ => task.NextTraining(random)).ToArray();

        Assert.Empty(drawn.Select(Key).Intersect(heldOut));
        Assert.All(drawn, p => Assert.Equal(p.Reference, p.Id));
        // Both orders of a pair of distinct numbers are drawn, so the key, not the text, must keep them apart.
        Assert.Contains(drawn, p => Puzzle(p).Numbers[0] > Puzzle(p).Numbers[1]);
        Assert.Contains(drawn, p => Puzzle(p).Numbers[0] < Puzzle(p).Numbers[1]);
    }

    [Fact]
    public void Training_and_held_out_problems_of_the_default_task_are_disjoint()
    {
        var task = new CountdownTask(new CountdownOptions());
        var heldOut = task.HeldOut.Select(Key).ToHashSet();
        var random = new Random(5);

        var drawn = Enumerable.Range(0, 2000).Select(_ => task.NextTraining(random)).ToArray();

        Assert.DoesNotContain(drawn, p => heldOut.Contains(Key(p)));
        Assert.All(drawn, p => Assert.Equal(TaskKinds.Countdown, p.Kind));
    }

    [Fact]
    public void Training_constructions_solve_their_puzzles()
    {
        var task = new CountdownTask(new CountdownOptions { HeldOutSize = 10 });
        var random = new Random(6);

        for (int i = 0; i < 200; i++)
        {
            var (puzzle, solution) = task.NextTrainingConstruction(random);
            Assert.Equal("correct", CountdownRule.Judge(solution, puzzle));
        }
    }

    [Fact]
    public void Settings_that_leave_too_few_problems_fail_instead_of_hanging()
    {
        // Two 1s make only 1 (1×1, 1÷1) and 2 (1+1): two problems.
        var tiny = new CountdownOptions { MinNumbers = 2, MaxNumbers = 2, MaxNumber = 1, HeldOutSize = 3 };
        Assert.Throws<ArgumentException>(() => new CountdownTask(tiny));

        var allHeldOut = new CountdownTask(new CountdownOptions { MinNumbers = 2, MaxNumbers = 2, MaxNumber = 1, HeldOutSize = 2 });
        Assert.Throws<InvalidOperationException>(() => allHeldOut.NextTraining(new Random(1)));
    }

    [Fact]
    public void The_name_says_the_shape() =>
        Assert.Equal("countdown(3-4 numbers up to 99, targets up to 100)", new CountdownTask(new CountdownOptions { HeldOutSize = 1 }).Name);

    [Fact]
    public void Options_bind_from_the_Countdown_section_and_are_validated()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Countdown:MinNumbers"] = "4",
            ["Countdown:MaxTarget"] = "500",
        }).Build();

        var options = OptionsBinding.Bind<CountdownOptions>(configuration, CountdownOptions.Section);
        Assert.Equal(4, options.MinNumbers);
        Assert.Equal(500, options.MaxTarget);
        Assert.Equal(99, options.MaxNumber);

        Assert.Throws<OptionsValidationException>(() => OptionsBinding.Validate(new CountdownOptions { MinNumbers = 4, MaxNumbers = 3 }, "Countdown"));
        Assert.Throws<OptionsValidationException>(() => OptionsBinding.Validate(new CountdownOptions { MaxNumber = 1000 }, "Countdown"));
        Assert.Throws<OptionsValidationException>(() => OptionsBinding.Validate(new CountdownOptions { MaxNumbers = 7 }, "Countdown"));
    }

    static CountdownPuzzle Puzzle(Problem problem) =>
        CountdownPuzzle.TryParseReference(problem.Reference, out var puzzle) ? puzzle : throw new FormatException(problem.Reference);

    static string Key(Problem problem) => Puzzle(problem).Key;
}

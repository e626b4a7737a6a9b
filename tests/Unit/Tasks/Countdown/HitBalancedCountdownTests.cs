using Pipeline.Tasks.Countdown;

namespace Pipeline.Tests.Unit.Tasks.Countdown;

/// <summary>Pretraining's Countdown puzzles, thinned so that a search's first hit falls on every line equally often.</summary>
public sealed class HitBalancedCountdownTests
{
    static readonly CountdownOptions Small = new() { MinNumbers = 3, MaxNumbers = 3, MaxNumber = 10, MaxTarget = 100, HeldOutSize = 50 };

    // The search order for 2, 3, 4 by hand: 2*3=6 then 6*4=24, 6+4=10, 6-4=2 (6/4 not whole); 2+3=5 then 20, 9, 1;
    // 3-2=1 then 1*4=4, 1+4=5, 4-1=3 (4/1 skipped); (3/2 not whole); 2*4=8 then 24, 11, 5; …
    [Theory]
    [InlineData(24, 1)]
    [InlineData(10, 2)]
    [InlineData(2, 3)]
    [InlineData(20, 4)]
    [InlineData(1, 6)]
    [InlineData(3, 9)]
    [InlineData(11, 0)] // line 11: past the 10 a trace writes
    [InlineData(97, 0)] // never
    public void The_hit_line_is_the_first_try_in_search_order_that_reaches_the_target(int target, int line) =>
        Assert.Equal(line, HitBalancedCountdown.HitLine(new CountdownPuzzle([2, 3, 4], target), maxAttempts: 10));

    [Fact]
    public void Acceptance_levels_every_bucket_to_the_rarest_one_that_is_not_too_rare()
    {
        // 75 puzzles in 4 buckets: an even share is 18.75, half of it 9.375; the rarest (5) is below that, so it is kept
        // whole and 9.375 sets the level: 10 → 0.9375, 40 → 0.234375, 20 → 0.46875.
        Assert.Equal([0.9375, 0.234375, 0.46875, 1.0], HitBalancedCountdown.AcceptanceRates([10, 40, 20, 5]));
        // 40 puzzles: even share 10, half 5; the rarest (8) sets the level. An empty bucket keeps nothing.
        Assert.Equal([0.8, 0.5, 1.0, 0.0], HitBalancedCountdown.AcceptanceRates([10, 16, 8, 0]));
    }

    [Fact]
    public void Drawn_puzzles_hit_on_every_line_about_equally_often_and_are_never_held_out()
    {
        var task = new CountdownTask(Small);
        var balanced = new HitBalancedCountdown(task, maxAttempts: 10);
        var heldOut = task.HeldOut.Select(p => p.Reference).ToHashSet();
        var random = new Random(3);
        var counts = new int[11];
        const int draws = 3300;
        for (int i = 0; i < draws; i++)
        {
            var problem = balanced.NextTraining(random);
            Assert.DoesNotContain(problem.Reference, heldOut);
            Assert.True(CountdownPuzzle.TryParseReference(problem.Reference, out var puzzle));
            counts[HitBalancedCountdown.HitLine(puzzle, 10)]++;
        }
        // Naturally line 5 hits 12.5 % of puzzles and line 10 3.3 %, and a tenth of all misses the first ten lines.
        // Balanced, each of the 11 buckets holds 1/11 (300 of 3,300) up to sampling noise and the calibration's.
        Assert.All(counts, c => Assert.InRange(c, 220, 380));
    }
}

using Pipeline.Benchmarks.Bus;

namespace Pipeline.Tests.Unit.Benchmarks;

public sealed class StepTimesTests
{
    static readonly DateTimeOffset T0 = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    static DateTimeOffset At(double seconds) => T0.AddSeconds(seconds);

    [Fact]
    public void Waiting_counts_only_the_time_after_the_previous_step_and_training_runs_from_whichever_came_last()
    {
        // batch 0 complete at 2 s → step 1 recorded at 3 s: waited 2, trained 1.
        // batch 1 complete at 2.5 s, before step 1 ended → step 2 starts at 3 s, recorded at 4.5 s: waited 0, trained 1.5.
        // batch 2 complete at 6 s → step 3 recorded at 6.5 s: waited 1.5, trained 0.5.
        var complete = new Dictionary<int, DateTimeOffset> { [0] = At(2), [1] = At(2.5), [2] = At(6) };

        var times = StepTimes.Of(T0, complete, [(0, At(3)), (1, At(4.5)), (2, At(6.5))]);

        Assert.Equal(3, times.Steps);
        Assert.Equal((2 + 0 + 1.5) / 3, times.WaitingSeconds, 1e-9);
        Assert.Equal((1 + 1.5 + 0.5) / 3, times.TrainingSeconds, 1e-9);
    }

    [Fact]
    public void No_steps_is_zero_and_a_step_without_its_batch_is_an_error()
    {
        Assert.Equal(new StepTimes(0, 0, 0), StepTimes.Of(T0, new Dictionary<int, DateTimeOffset>(), []));
        Assert.Throws<ArgumentException>(() => StepTimes.Of(T0, new Dictionary<int, DateTimeOffset>(), [(4, At(1))]));
    }
}

using Pipeline.Benchmarks.Bus;

namespace Pipeline.Tests.Unit.Benchmarks;

public sealed class ThreadCpuTimesTests
{
    [Fact]
    public void The_name_may_hold_spaces_and_parentheses_and_the_ticks_are_user_plus_system()
    {
        // fields after the name: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime …
        var stat = "4242 (rollout (x) sampler) S 1 4242 4242 0 -1 4194368 900 0 3 0 1234 56 0 0 20 0 9 0 777 0 0";

        Assert.Equal(("rollout (x) sampler", 1234L + 56L), ThreadCpuTimes.Parse(stat));
        Assert.Null(ThreadCpuTimes.Parse("no name here"));
        Assert.Null(ThreadCpuTimes.Parse("1 (short) S 1 2"));
    }

    [Fact]
    public void Between_two_readings_each_name_sums_its_threads_growth_and_a_new_thread_counts_whole()
    {
        var before = new Dictionary<int, (string, long)> { [1] = ("learner", 500), [2] = (".NET TP Worker", 100), [3] = (".NET TP Worker", 40) };
        // thread 3 ended (its time is gone); thread 4 started; thread 5 did nothing.
        var after = new Dictionary<int, (string, long)>
        {
            [1] = ("learner", 1_300),
            [2] = (".NET TP Worker", 150),
            [4] = (".NET TP Worker", 20),
            [5] = ("evaluator", 0),
        };

        var seconds = ThreadCpuTimes.Between(before, after);

        Assert.Equal(["learner", ".NET TP Worker"], seconds.Keys);
        Assert.Equal(8.0, seconds["learner"], 1e-12);
        Assert.Equal(0.7, seconds[".NET TP Worker"], 1e-12);
    }
}

using Pipeline.Benchmarks.Bus;

namespace Pipeline.Tests.Unit.Benchmarks;

public sealed class CpuUseTests
{
    const string ProcStat = """
        cpu  1000 20 300 5000 40 6 7 80 11 0
        cpu0 500 10 150 2500 20 3 3 40 5 0
        cpu1 500 10 150 2500 20 3 4 40 6 0
        intr 123456 0 0
        ctxt 987654
        """;

    [Fact]
    public void Busy_is_user_nice_system_irq_and_softirq_and_the_total_adds_idle_iowait_and_steal()
    {
        var times = MachineCpuTimes.Parse(ProcStat)!;

        Assert.Equal(1000 + 20 + 300 + 6 + 7, times.Busy);
        Assert.Equal(1333 + 5000 + 40 + 80, times.Total);
        Assert.Equal(2, times.Processors);
    }

    [Fact]
    public void A_text_without_the_aggregate_line_reads_as_nothing()
    {
        Assert.Null(MachineCpuTimes.Parse("intr 1 2 3\nctxt 4\n"));
        Assert.Null(MachineCpuTimes.Parse(""));
    }

    [Fact]
    public void The_busy_share_of_the_window_in_core_seconds_and_what_no_named_process_used()
    {
        // 2 processors over 10 s: 2,000 ticks in all, 1,500 of them busy → 75 % busy, 15 core-seconds;
        // the named processes used 9 + 4 of them, so 2 went elsewhere.
        var before = new MachineCpuTimes(Busy: 10_000, Total: 40_000, Processors: 2);
        var after = new MachineCpuTimes(Busy: 11_500, Total: 42_000, Processors: 2);

        var use = CpuUse.Of(before, after, 10, new Dictionary<string, double> { ["learner-0"] = 9, ["rollout-0"] = 4 });

        Assert.Equal(0.75, use.BusyFraction, 1e-12);
        Assert.Equal(15, use.BusyCoreSeconds, 1e-9);
        Assert.Equal(2, use.OtherCoreSeconds, 1e-9);
        Assert.Equal(10, use.WindowSeconds);
    }

    [Fact]
    public void Readings_out_of_order_are_an_error()
    {
        var reading = new MachineCpuTimes(100, 1_000, 2);
        Assert.Throws<ArgumentException>(() => CpuUse.Of(reading, reading, 1, new Dictionary<string, double>()));
    }
}

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

public sealed class CpuMeterTests
{
    [Theory]
    [InlineData("kworker/1:2-events", "kworker")]
    [InlineData("ksoftirqd/0", "ksoftirqd")]
    [InlineData("postgres", "postgres")]
    [InlineData("beam.smp", "beam.smp")]
    public void Other_processes_are_summed_by_name_without_a_kernel_thread_s_instance(string name, string summed) =>
        Assert.Equal(summed, CpuMeter.OtherProcessName(name));

    [Fact]
    public void Summed_under_another_name_entries_of_one_name_add_up()
    {
        var before = new Dictionary<int, (string, long)> { [10] = ("kworker/0:1", 5) };
        var after = new Dictionary<int, (string, long)> { [10] = ("kworker/0:1", 25), [11] = ("kworker/1:0", 30), [12] = ("postgres", 7) };

        var seconds = ThreadCpuTimes.Between(before, after, CpuMeter.OtherProcessName);

        Assert.Equal(0.5, seconds["kworker"], 1e-12);
        Assert.Equal(0.07, seconds["postgres"], 1e-12);
    }
}

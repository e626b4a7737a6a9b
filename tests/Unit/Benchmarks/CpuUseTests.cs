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

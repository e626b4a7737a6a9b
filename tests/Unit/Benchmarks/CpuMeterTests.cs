using Pipeline.Benchmarks.Bus;

namespace Pipeline.Tests.Unit.Benchmarks;

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

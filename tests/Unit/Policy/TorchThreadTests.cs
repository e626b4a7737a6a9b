using Pipeline.Policy;

namespace Pipeline.Tests.Unit.Policy;

public sealed class TorchThreadTests
{
    [Fact]
    public async Task Every_piece_of_work_runs_on_the_same_thread_which_is_not_the_callers_in_the_order_given()
    {
        using var thread = new TorchThread("test");
        var order = new List<int>();
        var pieces = Enumerable.Range(0, 20).Select(i => thread.RunAsync(() =>
        {
            order.Add(i);
            return (Environment.CurrentManagedThreadId, thread.IsCurrent, Thread.CurrentThread.Name);
        })).ToArray();
        var ran = await Task.WhenAll(pieces);

        Assert.Single(ran.Select(r => r.CurrentManagedThreadId).Distinct());
        Assert.NotEqual(Environment.CurrentManagedThreadId, ran[0].CurrentManagedThreadId);
        Assert.All(ran, r => Assert.True(r.IsCurrent));
        Assert.All(ran, r => Assert.Equal("test", r.Name));
        Assert.False(thread.IsCurrent);
        Assert.Equal(Enumerable.Range(0, 20), order);
    }

    [Fact]
    public async Task An_exception_comes_back_through_the_task_and_the_thread_goes_on()
    {
        using var thread = new TorchThread("test");
        var failed = await Assert.ThrowsAsync<InvalidDataException>(() => thread.RunAsync<int>(() => throw new InvalidDataException("bad batch")));
        Assert.Equal("bad batch", failed.Message);
        Assert.Equal(42, await thread.RunAsync(() => 42));
    }

    [Fact]
    public async Task Dispose_lets_queued_work_finish_and_then_refuses_more()
    {
        var thread = new TorchThread("test");
        using var gate = new ManualResetEventSlim();
        var first = thread.RunAsync(() => gate.Wait(TimeSpan.FromSeconds(10)));
        var second = thread.RunAsync(() => 2);
        var disposing = Task.Run(thread.Dispose);
        gate.Set();
        await disposing;

        Assert.True(await first);
        Assert.Equal(2, await second);
        Assert.Throws<ObjectDisposedException>(() => { _ = thread.RunAsync(() => 3); });          // at once, not through a task
        thread.Dispose();                                               // twice is harmless
    }
}

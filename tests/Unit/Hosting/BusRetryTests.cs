using Pipeline.Hosting;

namespace Pipeline.Tests.Unit.Hosting;

public class BusRetryTests
{
    static readonly TimeSpan Short = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task A_try_that_never_ends_nor_heeds_its_token_is_abandoned_as_a_timeout()
    {
        var never = new TaskCompletionSource();

        var error = await Assert.ThrowsAsync<TimeoutException>(() => BusRetry.Bounded(_ => never.Task, Short, CancellationToken.None));
        Assert.Contains("did not take the message", error.Message);
    }

    [Fact]
    public async Task A_try_cancelled_by_its_own_limit_is_a_timeout_and_one_that_finishes_in_time_is_not()
    {
        CancellationToken seen = default;
        await Assert.ThrowsAsync<TimeoutException>(() => BusRetry.Bounded(async token =>
        {
            seen = token;
            await Task.Delay(Timeout.InfiniteTimeSpan, token);
        }, Short, CancellationToken.None));
        Assert.True(seen.IsCancellationRequested);

        int tries = 0;
        await BusRetry.Bounded(_ => { tries++; return Task.CompletedTask; }, TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Equal(1, tries);
    }

    [Fact]
    public async Task The_callers_cancellation_stays_a_cancellation()
    {
        using var caller = new CancellationTokenSource();
        var never = new TaskCompletionSource();
        var attempt = BusRetry.Bounded(_ => never.Task, TimeSpan.FromMinutes(1), caller.Token);

        caller.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => attempt);
    }
}

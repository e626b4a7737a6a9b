namespace Pipeline.Tests.Data.Contract;

/// <summary>A clock the test moves by hand, so timestamps and their order are known.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    long ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
}

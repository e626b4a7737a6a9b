namespace Pipeline.Tasks;

/// <summary>The task kinds a <see cref="Problem"/> can name, each scored by its own reward rules: <see cref="Math"/>
/// answers compared as numbers, <see cref="Code"/> programs run against tests in a sandbox, <see cref="Countdown"/>
/// equations over given numbers checked by an exact parser (TinyZero's Countdown task).</summary>
public static class TaskKinds
{
    public const string Math = "math";
    public const string Code = "code";
    public const string Countdown = "countdown";
}

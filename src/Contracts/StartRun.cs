namespace Pipeline.Contracts;

/// <summary>Command to the learner: start the run <see cref="RunId"/> with this configuration (the JSON of the
/// run's Run, Task and Grpo settings). Sent by <c>pipeline train</c>; a redelivered command starts nothing twice.</summary>
public sealed record StartRun
{
    public required Guid RunId { get; init; }
    public required string ConfigJson { get; init; }
}

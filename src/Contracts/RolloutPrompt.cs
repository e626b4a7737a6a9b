namespace Pipeline.Contracts;

/// <summary>One prompt of a batch. <see cref="Reference"/> is what the verifier checks against (an answer, or
/// a task-specific test description); <see cref="Task"/> names the reward rules that apply.</summary>
public sealed record RolloutPrompt
{
    public required int PromptId { get; init; }
    public required string Text { get; init; }
    public required string Task { get; init; }
    public required string Reference { get; init; }
}

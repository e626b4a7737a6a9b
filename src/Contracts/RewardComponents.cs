namespace Pipeline.Contracts;

/// <summary>The names of a <see cref="Pipeline.Contracts.CompletionScore"/>'s components; each is 0 or 1.</summary>
public static class RewardComponents
{
    public const string Accuracy = "accuracy";
    public const string Format = "format";
}

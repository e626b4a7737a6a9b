namespace Pipeline.Contracts;

/// <summary>The names of a <see cref="Pipeline.Contracts.CompletionScore"/>'s components; each is 0 or 1.</summary>
public static class RewardComponents
{
    public const string Accuracy = "accuracy";
    public const string Format = "format";

    /// <summary>Partial credit: 1 when the answer is a well-formed attempt that misses (a Countdown equation over
    /// the right numbers with the wrong value); the reward weighs it below <see cref="Accuracy"/>.</summary>
    public const string Partial = "partial";
}

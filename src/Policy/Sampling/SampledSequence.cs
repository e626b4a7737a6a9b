namespace Pipeline.Policy.Sampling;

/// <summary>One completion: its tokens (the stop token included, so that training teaches stopping), the
/// sampling distribution's log-prob of each, and why it ended ("stop" or "length").</summary>
public sealed record SampledSequence(int[] Tokens, float[] LogProbs, string FinishReason);

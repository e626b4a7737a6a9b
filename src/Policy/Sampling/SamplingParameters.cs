namespace Pipeline.Policy.Sampling;

/// <summary>How to sample. Temperature 0 means greedy decoding. Log-probs are always those of the
/// temperature-scaled distribution before top-p truncation — the distribution the learner recomputes.
/// Sampling ends at EOS, at any of <see cref="StopSequences"/> (text, kept in the completion: a completion stops at the
/// first token after which its text contains one, whatever tokens spell it), or after <see cref="MaxTokens"/>.</summary>
public sealed record SamplingParameters(float Temperature = 1f, float TopP = 1f, int MaxTokens = 64)
{
    public IReadOnlyList<string> StopSequences { get; init; } = [];

    public void Validate()
    {
        if (Temperature < 0 || float.IsNaN(Temperature)) throw new ArgumentException($"temperature must be ≥ 0, not {Temperature}");
        if (!(TopP > 0 && TopP <= 1)) throw new ArgumentException($"top_p must be in (0, 1], not {TopP}");
        if (MaxTokens <= 0) throw new ArgumentException($"max_tokens must be positive, not {MaxTokens}");
        if (StopSequences.Any(s => s.Length == 0)) throw new ArgumentException("a stop sequence cannot be empty");
    }
}

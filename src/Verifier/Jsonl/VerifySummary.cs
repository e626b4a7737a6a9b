namespace Pipeline.Verifier.Jsonl;

/// <summary>What a <see cref="JsonlVerifier"/> run saw: input lines, how many were invalid, how many correct.</summary>
public sealed record VerifySummary(int Lines, int Invalid, int Correct);

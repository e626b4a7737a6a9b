namespace Pipeline.Verifier.Jsonl;

/// <summary>What a <see cref="JsonlVerifier"/> run saw: input lines, how many were invalid, how many correct, and
/// how many code lines were refused because the sandbox could not be established.</summary>
public sealed record VerifySummary(int Lines, int Invalid, int Correct, int Refused = 0);

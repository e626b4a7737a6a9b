namespace Pipeline.Rewards;

/// <summary>The input itself cannot be scored: a malformed group, an empty reference, an unknown task kind.
/// Retrying cannot help, so the consumer's retry policy lets it through at once to the error queue, and the
/// JSONL verifier turns it into an <c>invalid-input</c> line.</summary>
public sealed class ScoringInputException(string message, Exception? innerException = null)
    : Exception(message, innerException);

namespace Pipeline.Sandboxing;

/// <summary>The sandbox cannot be established here, so code tasks must be refused (never run unsandboxed).</summary>
public sealed class SandboxUnavailableException(string reason)
    : Exception($"The code sandbox is unavailable, so code tasks are refused: {reason}")
{
    public string Reason { get; } = reason;
}

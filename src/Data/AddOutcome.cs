namespace Pipeline.Data;

/// <summary>What an idempotent insert did: stored the row, or found it already stored (a redelivery).</summary>
public enum AddOutcome
{
    Added,
    Duplicate,
}

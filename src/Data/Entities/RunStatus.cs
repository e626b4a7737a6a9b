namespace Pipeline.Data.Entities;

/// <summary>Stored as the lower-case word ("running", "completed", "failed").</summary>
public enum RunStatus
{
    Running,
    Completed,
    Failed,
}

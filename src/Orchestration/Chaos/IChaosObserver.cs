using Pipeline.Data.Stores;

namespace Pipeline.Orchestration.Chaos;

/// <summary>Hears a chaos run as it goes (the command prints it).</summary>
public interface IChaosObserver
{
    /// <summary>At <paramref name="seconds"/> into the run, a fault was injected or its target came back
    /// (<paramref name="detail"/> says which).</summary>
    void Fault(double seconds, ChaosFaultRecord fault, string detail);

    /// <summary>The run as the database holds it, every few seconds.</summary>
    void Progress(double seconds, RunSummary run);

    void Note(string text);
}

namespace Pipeline.Tasks;

/// <summary>A source of training problems with a fixed held-out split that training never sees.</summary>
public interface ITaskSource
{
    string Name { get; }

    /// <summary>The held-out evaluation split, identical on every call and every machine.</summary>
    IReadOnlyList<Problem> HeldOut { get; }

    /// <summary>Draws a training problem; never one of <see cref="HeldOut"/>.</summary>
    Problem NextTraining(Random random);
}

namespace Pipeline.Tasks;

/// <summary>A source of training problems with a fixed held-out split that training never sees.</summary>
public interface ITaskSource
{
    string Name { get; }

    /// <summary>The held-out evaluation split, identical on every call and every machine.</summary>
    IReadOnlyList<Problem> HeldOut { get; }

    /// <summary>Draws a training problem; never one of <see cref="HeldOut"/>.</summary>
    Problem NextTraining(Random random);

    /// <summary>Every problem that can be named before a run starts, for the checks made then (prompts that fit the
    /// policy's context, the reward rules they need): a dataset's every line; a generated task's held-out split, made by
    /// the same generator as the training problems it draws as the run goes.</summary>
    IEnumerable<Problem> Listed => HeldOut;
}

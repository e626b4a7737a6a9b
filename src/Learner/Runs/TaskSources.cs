using Pipeline.Tasks;
using Pipeline.Tasks.Arithmetic;
using Pipeline.Tasks.Jsonl;

namespace Pipeline.Learner.Runs;

public static class TaskSources
{
    /// <summary>The user's JSONL dataset when <see cref="RunOptions.Dataset"/> names one, else the built-in arithmetic task.</summary>
    public static ITaskSource For(RunSettings config) =>
        string.IsNullOrWhiteSpace(config.Run.Dataset) ? new ArithmeticTask(config.Task) : JsonlDataset.Load(config.Run.Dataset);
}

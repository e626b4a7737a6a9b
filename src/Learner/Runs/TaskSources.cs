using Pipeline.Tasks;
using Pipeline.Tasks.Arithmetic;
using Pipeline.Tasks.Countdown;
using Pipeline.Tasks.Jsonl;

namespace Pipeline.Learner.Runs;

public static class TaskSources
{
    /// <summary>The values of <see cref="RunOptions.Task"/>.</summary>
    public const string Arithmetic = "arithmetic", Countdown = "countdown";

    /// <summary>The user's JSONL dataset when <see cref="RunOptions.Dataset"/> names one, else the built-in task
    /// <see cref="RunOptions.Task"/> names: the arithmetic task (section "Task") or Countdown (section "Countdown").</summary>
    public static ITaskSource For(RunSettings config)
    {
        if (!string.IsNullOrWhiteSpace(config.Run.Dataset))
            return JsonlDataset.Load(config.Run.Dataset);
        return config.Run.Task switch
        {
            Arithmetic => new ArithmeticTask(config.Task),
            Countdown => new CountdownTask(config.Countdown),
            var other => throw new ArgumentException($"Run:Task '{other}' is not a built-in task ({Arithmetic} or {Countdown})"),
        };
    }
}

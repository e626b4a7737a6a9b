using Pipeline.Cli.Hosting;
using Pipeline.Learner.Evaluation;
using Pipeline.Policy.Model;
using Pipeline.Tasks;
using Spectre.Console;

namespace Pipeline.Cli.Output;

/// <summary>Progress of long work on standard error: a bar on a terminal, milestone lines (25%, 50%, …) in a pipe
/// or log file.</summary>
public static class ProgressDisplay
{
    /// <summary>Runs <paramref name="work"/>, which reports how many of <paramref name="total"/> units it has done.</summary>
    public static async Task<T> RunAsync<T>(string description, int total, Func<IProgress<int>, Task<T>> work)
    {
        T result = default!;
        await Terminal.Err.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(description), maxValue: Math.Max(1, total));
                result = await work(new Immediate(done => task.Value = done));
                task.Value = task.MaxValue;
            });
        return result;
    }

    /// <summary>Held-out evaluation of <paramref name="policy"/> with a progress bar over its problems.</summary>
    public static Task<PolicyScore> EvaluateAsync(PolicyEvaluator evaluator, CausalLm policy, IReadOnlyList<Problem> problems, int k, int maxTokens,
        long seed = 0, string description = "held-out evaluation", CancellationToken cancellationToken = default) =>
        // The percentage that follows is progress, so the description must not read like a result ("pass@8: 32%").
        RunAsync($"{description}: {problems.Count} problems, greedy" + (k > 0 ? $" and {k} samples each" : ""), problems.Count,
            progress => evaluator.EvaluateAsync(policy, problems, k, maxTokens, seed, progress, cancellationToken));

    /// <summary>Runs <paramref name="work"/> under a spinner with <paramref name="status"/> (one line in a pipe).</summary>
    public static async Task<T> StatusAsync<T>(string status, Func<Task<T>> work)
    {
        if (!Terminal.IsLive(Terminal.Err))
        {
            Terminal.Err.MarkupLineInterpolated($"[grey]{status}[/]");
            return await work();
        }
        return await Terminal.Err.Status().StartAsync(Markup.Escape(status), _ => work());
    }

    /// <summary>Reports on the caller's thread, in order (<see cref="Progress{T}"/> posts to the thread pool).</summary>
    sealed class Immediate(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}

using Pipeline.Cli.Hosting;
using Pipeline.Learner.Evaluation;
using Pipeline.Learner.Runs;
using Pipeline.Learner.Training;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Pipeline.Cli.Output;

/// <summary>Live progress of a training run: one row per GRPO step (reward, batch accuracy, format, KL,
/// tokens/s) and the held-out accuracy of each background evaluation, on standard error. On a terminal without
/// cursor control (CI, a pipe, a log file) each step is printed as a plain line instead.</summary>
public sealed class TrainingDisplay(int totalSteps) : IRunObserver
{
    const int VisibleRows = 12;
    readonly List<string[]> _rows = [];
    readonly List<(int Version, double Accuracy)> _evaluations = [];
    readonly Lock _lock = new();
    readonly IAnsiConsole _console = Terminal.Err;
    readonly bool _live = Terminal.IsLive(Terminal.Err);

    public IReadOnlyList<(int Version, double Accuracy)> Evaluations
    {
        get { lock (_lock) return _evaluations.ToArray(); }
    }

    public void OnStep(Guid runId, int batchId, int policyVersion, StepResult step, double tokensPerSecond)
    {
        var row = new[]
        {
            $"{batchId + 1}/{totalSteps}", policyVersion.ToString(), $"{step.MeanReward:F3}", $"{step.Accuracy:P0}",
            $"{step.FormatRate:P0}", step.Kl is { } kl ? $"{kl:F4}" : "-", $"{step.GroupsUsed}/{step.GroupsUsed + step.GroupsDropped}",
            $"{tokensPerSecond:F0}", $"{step.Seconds:F1}s",
        };
        lock (_lock) _rows.Add(row);
        if (!_live)
            _console.WriteLine($"step {row[0]}  version {row[1]}  reward {row[2]}  accuracy {row[3]}  format {row[4]}  kl {row[5]}  groups {row[6]}  tokens/s {row[7]}");
    }

    public void OnEvaluation(Guid runId, int policyVersion, PolicyScore score)
    {
        lock (_lock) _evaluations.Add((policyVersion, score.Accuracy));
        if (!_live) _console.WriteLine($"held-out evaluation of version {policyVersion}: accuracy {score.Accuracy:P1}, format {score.FormatRate:P1}");
    }

    /// <summary>Shows progress until <paramref name="completion"/> finishes.</summary>
    public async Task ShowUntilAsync(Task completion)
    {
        if (!_live)
        {
            await completion;
            return;
        }
        await _console.Live(Render()).AutoClear(false).StartAsync(async context =>
        {
            while (!completion.IsCompleted)
            {
                context.UpdateTarget(Render());
                await Task.WhenAny(completion, Task.Delay(250));
            }
            context.UpdateTarget(Render());
        });
        await completion;
    }

    IRenderable Render()
    {
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]GRPO[/]");
        foreach (var column in new[] { "step", "version", "reward", "accuracy", "format", "KL", "groups", "tokens/s", "time" })
            table.AddColumn(new TableColumn(column).RightAligned());
        lock (_lock)
        {
            foreach (var row in _rows.Skip(Math.Max(0, _rows.Count - VisibleRows))) table.AddRow(row);
            var evaluations = _evaluations.Count == 0
                ? "held-out accuracy: waiting for the first evaluation"
                : "held-out accuracy: " + string.Join("  ", _evaluations.Select(e => $"v{e.Version} {e.Accuracy:P0}"));
            return new Rows(table, new Markup($"[grey]{Markup.Escape(evaluations)}[/]"));
        }
    }
}

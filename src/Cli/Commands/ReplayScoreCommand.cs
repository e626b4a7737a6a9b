using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Cli.Hosting;
using Pipeline.Learner.Replay;
using Pipeline.Orchestration;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline replay score RUN [--save]</c>: today's reward rules over a run's stored completions (<see cref="ReplayScorer"/>).</summary>
public static class ReplayScoreCommand
{
    /// <summary>Changes printed as a table; the rest are counted (all of them go to <c>--json</c>).</summary>
    const int ShownChanges = 50;

    /// <summary>A progress line every this many groups: a long run has tens of thousands.</summary>
    const int ProgressEvery = 500;

    public static Command Create()
    {
        var run = new Argument<Guid>("run") { Description = "The run's id (from `pipeline runs list`)." };
        var save = new Option<bool>("--save") { Description = "Store the new scores as a scoring revision of RUN (for `replay train --rescored`); the run's own scores are never overwritten." };
        return PipelineCommand.Create("score",
            "Re-run today's reward rules (format, math, code in the sandbox) on every stored completion of RUN and report what changed. " +
            "The run is only read; a rule that cannot run here (code with no sandbox) leaves its completions not re-scored.",
            [run, save], async context =>
            {
                await using var services = await ReplayServices.OpenAsync(context.Configuration, context.Cancellation);
                var progress = new GroupProgress(p =>
                {
                    if (p.Groups % ProgressEvery == 0) context.Note($"replay score: {p.Groups} groups, {p.Completions} completions");
                });
                var result = await services.GetRequiredService<ReplayScorer>()
                    .ScoreAsync(new ReplayScoreRequest(context.Get(run), context.Get(save)), progress, context.Cancellation);

                Print(context.Out, result);
                foreach (var (reason, count) in result.NotRescoredReasons)
                    context.Warn($"{count} completions not re-scored (their stored score stands): {reason}");
                await context.WriteJsonAsync(new
                {
                    result.RunId,
                    result.Completions,
                    result.Changed,
                    result.Unchanged,
                    result.NotRescored,
                    result.NotRescoredReasons,
                    Changes = result.Changes.Select(c => new
                    {
                        Batch = c.BatchId,
                        Prompt = c.PromptId,
                        c.Index,
                        // Components too: they tell a change whose reward and verdict are equal.
                        Before = new { c.Before.Reward, c.Before.Verdict, c.Before.Components },
                        After = new { c.After.Reward, c.After.Verdict, c.After.Components },
                    }).ToArray(),
                    Verdicts = new { Before = result.VerdictsBefore, After = result.VerdictsAfter },
                    result.RevisionId,
                    result.WallSeconds,
                });
                return ExitCodes.Success;
            });
    }

    static void Print(IAnsiConsole console, ReplayScoreResult result)
    {
        if (result.Changed > 0)
        {
            var changes = new Table().Border(TableBorder.Rounded).Title($"[bold]changed scores of run {result.RunId}[/]");
            foreach (var column in new[] { "batch", "prompt", "index", "before", "after" }) changes.AddColumn(column);
            foreach (var c in result.Changes.Take(ShownChanges))
                changes.AddRow(c.BatchId.ToString(), c.PromptId.ToString(), c.Index.ToString(),
                    Markup.Escape($"{c.Before.Reward:G4} {c.Before.Verdict}"), Markup.Escape($"{c.After.Reward:G4} {c.After.Verdict}"));
            console.Write(changes);
            if (result.Changed > ShownChanges) console.MarkupLineInterpolated($"[grey]… and {result.Changed - ShownChanges} more (all in --json)[/]");
        }

        var verdicts = new Table().Border(TableBorder.Rounded).AddColumn("verdict").AddColumn("stored").AddColumn("today");
        foreach (var verdict in result.VerdictsBefore.Keys.Union(result.VerdictsAfter.Keys).Order(StringComparer.Ordinal))
            verdicts.AddRow(Markup.Escape(verdict), result.VerdictsBefore.GetValueOrDefault(verdict).ToString(), result.VerdictsAfter.GetValueOrDefault(verdict).ToString());
        console.Write(verdicts);
        console.MarkupLineInterpolated(
            $"{result.Completions} completions: {result.Changed} changed, {result.Unchanged} unchanged, {result.NotRescored} not re-scored ({result.WallSeconds:F1} s)");
        if (result.RevisionId is { } id)
            console.MarkupLineInterpolated($"saved as scoring revision {id}: pipeline replay train {result.RunId} --rescored {id}");
    }

    /// <summary>Reports on the caller's thread, in order (<see cref="Progress{T}"/> would post to the thread pool).</summary>
    sealed class GroupProgress(Action<ReplayScoreProgress> report) : IProgress<ReplayScoreProgress>
    {
        public void Report(ReplayScoreProgress value) => report(value);
    }
}

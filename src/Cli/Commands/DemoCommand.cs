using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Cli.Hosting;
using Pipeline.Cli.Output;
using Pipeline.Cli.Workflows;
using Pipeline.Hosting;
using Pipeline.Learner.Evaluation;
using Pipeline.Learner.Runs;
using Pipeline.Orchestration;
using Pipeline.Policy.Checkpoints;
using Pipeline.Policy.Training;
using Pipeline.Rewards;
using Pipeline.Tasks.Arithmetic;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline demo</c>: the zero-setup tour. Builds the base policy if there is none, measures it, trains
/// it with GRPO with every service in this process, and ends with a before/after table.</summary>
public static class DemoCommand
{
    public static Command Create() => PipelineCommand.Create("demo",
        "Pretrain a base policy if needed, GRPO-train it in one process (the built-in arithmetic task; Countdown with --config configs/countdown.json), and compare before and after.",
        [], async context =>
    {
        var clock = Stopwatch.StartNew();
        var configuration = context.Configuration;
        var runConfig = RunSettings.From(configuration);
        var task = TaskSources.For(runConfig);
        var corpus = PretrainingCorpus.For(task, configuration);
        int passK = OptionsBinding.Bind<DemoOptions>(configuration, DemoOptions.Section).PassK;
        double pretrainSeconds = 0;
        if (!Checkpoint.Exists(runConfig.Run.BasePolicy))
        {
            context.Note($"No base policy at {runConfig.Run.BasePolicy}: building one first.");
            pretrainSeconds = clock.Elapsed.TotalSeconds;
            await BasePolicyTraining.RunAsync(BasePolicyTraining.Options(configuration),
                corpus, runConfig.Run.BasePolicy, context.Cancellation);
            pretrainSeconds = clock.Elapsed.TotalSeconds - pretrainSeconds;
        }

        using var services = CommandServices.Build(configuration);
        var evaluator = services.GetRequiredService<PolicyEvaluator>();
        var corpusAccuracy = CorpusAccuracy.Measure(corpus, services.GetRequiredService<CompletionScorerRouter>());
        PolicyScore before;
        using (var basePolicy = Checkpoint.Load(runConfig.Run.BasePolicy))
            before = await ProgressDisplay.EvaluateAsync(evaluator, basePolicy, task.HeldOut, passK, runConfig.Run.MaxTokens, runConfig.Run.Seed, "base policy, held-out", context.Cancellation);
        context.Note($"Base policy on {before.Problems} held-out problems: accuracy {before.Accuracy:P1}, format {before.FormatRate:P1}, pass@{passK} {before.PassAtK:P1}; corpus answers right {corpusAccuracy:P1}.");

        var (outcome, curve) = await EmbeddedTraining.RunAsync(configuration, runConfig, context.Cancellation);
        PolicyScore after;
        using (var trained = Checkpoint.Load(outcome.FinalCheckpoint))
            after = await ProgressDisplay.EvaluateAsync(evaluator, trained, task.HeldOut, passK, runConfig.Run.MaxTokens, runConfig.Run.Seed, "after GRPO, held-out", context.Cancellation);

        ShowTable(context.Out, before, after, corpusAccuracy);
        var evaluations = curve.Prepend((Version: 0, Score: before)).ToArray();
        var results = new DemoResults(
            PolicyFigures.Of(before),
            PolicyFigures.Of(after),
            corpusAccuracy,
            outcome.PolicyVersions,
            outcome.RunId,
            before.Problems,
            evaluations.Select(e => new CurvePoint(e.Version, e.Score.Accuracy)).ToArray(),
            evaluations.Select(e => new VersionValue(e.Version, e.Score.MeanCompletionTokens)).ToArray(),
            double.IsNaN(before.SelfVerificationRate)
                ? null
                : evaluations.Select(e => new VersionValue(e.Version, e.Score.SelfVerificationRate)).ToArray(),
            pretrainSeconds,
            outcome.WallSeconds,
            clock.Elapsed.TotalSeconds);
        await context.WriteJsonAsync(results);
        context.Out.MarkupLineInterpolated($"Done in {clock.Elapsed.TotalSeconds:F0} s (run {outcome.RunId}).");
        return ExitCodes.Success;
    });

    static void ShowTable(IAnsiConsole console, PolicyScore before, PolicyScore after, double corpusAccuracy)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]Held-out ({before.Problems} problems)[/]");
        table.AddColumn("");
        table.AddColumn(new TableColumn("base policy").RightAligned());
        table.AddColumn(new TableColumn("after GRPO").RightAligned());
        table.AddRow("accuracy (greedy)", $"{before.Accuracy:P1}", $"{after.Accuracy:P1}");
        table.AddRow("format rate (greedy)", $"{before.FormatRate:P1}", $"{after.FormatRate:P1}");
        table.AddRow($"pass@{before.K}", $"{before.PassAtK:P1}", $"{after.PassAtK:P1}");
        table.AddRow("completion length (greedy, tokens)", $"{before.MeanCompletionTokens:F1}", $"{after.MeanCompletionTokens:F1}");
        if (!double.IsNaN(before.SelfVerificationRate))
            table.AddRow("self-verification (greedy)", $"{before.SelfVerificationRate:P1}", $"{after.SelfVerificationRate:P1}");
        table.AddRow("corpus answers right", $"{corpusAccuracy:P1}", "");
        console.Write(table);
    }
}

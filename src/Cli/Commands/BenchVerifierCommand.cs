using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Benchmarks;
using Pipeline.Cli.Hosting;
using Pipeline.Cli.Output;
using Pipeline.Cli.Workflows;
using Pipeline.Orchestration;
using Pipeline.Rewards;
using Pipeline.Rewards.Code;
using Pipeline.Sandboxing;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline bench verifier</c>: rule scores per second on one core, sandboxed code runs per second
/// against bare interpreter starts, and code completions scored per second with their stdin tests in one sandbox
/// or in a long-lived session against a sandbox per test, measured in one run on this machine.</summary>
public static class BenchVerifierCommand
{
    /// <summary>The figures written by <c>--json</c>. The sandbox figures are null where the sandbox cannot be
    /// established here (<see cref="SandboxUnavailable"/> says why).</summary>
    public sealed record Report(
        double RuleScoresPerSecondPerCore,
        long RuleScores,
        double RuleSeconds,
        double MeanCompletionChars,
        double RuleCorrectShare,
        double? SandboxRunsPerSecond,
        double? BareRunsPerSecond,
        double? SandboxOverheadRatio,
        int? SandboxRuns,
        int? SandboxParallelism,
        double? SandboxCompletionsPerSecond,
        double? PerCompletionSandboxCompletionsPerSecond,
        double? PerTestSandboxCompletionsPerSecond,
        double? SandboxCompletionsSpeedup,
        double? PerCompletionSandboxCompletionsSpeedup,
        int? SandboxCompletions,
        double? StdinTestsPerCompletion,
        string? Isolation,
        string? BareCommand,
        string? SandboxUnavailable,
        int ProcessorCount,
        MachineDescription Machine);

    public static Command Create()
    {
        var seconds = new Option<double>("--rule-seconds") { Description = "How long to score math completions on one thread.", DefaultValueFactory = _ => 3 };
        var runs = new Option<int>("--runs") { Description = "Sandboxed runs, and as many bare starts, of a trivial program, in four interleaved rounds.", DefaultValueFactory = _ => 400 };
        var completions = new Option<int>("--completions") { Description = "Code completions scored each way (stdin tests in a sandbox session, in one sandbox per completion, a sandbox per test), in four interleaved rounds.", DefaultValueFactory = _ => 100 };
        return PipelineCommand.Create("verifier",
            "Rule scores per second on one core (realistic math completions), sandboxed Python runs per second against bare " +
            "interpreter starts at Sandbox:MaxParallelRuns (the sandbox's overhead), and the built-in code problems' solutions scored " +
            "per second with each completion's stdin tests in a long-lived sandbox session and in one sandbox of its own, against a sandbox per test. Exits 2 when the sandbox cannot be established here.",
            [seconds, runs, completions], async context =>
        {
            var ruleSeconds = context.Get(seconds);
            var sandboxRuns = context.Get(runs);
            var codeCompletions = context.Get(completions);
            if (!(ruleSeconds is > 0 and <= 600)) throw new ArgumentException("--rule-seconds must be in (0, 600]");
            if (sandboxRuns < 1) throw new ArgumentException("--runs must be at least 1");
            if (codeCompletions < 1) throw new ArgumentException("--completions must be at least 1");
            using var services = CommandServices.Build(context.Configuration);

            var rules = await ProgressDisplay.StatusAsync($"scoring math completions on one thread for {ruleSeconds:0.#} s",
                () => Task.FromResult(RuleScoringBenchmark.Run(
                    services.GetRequiredService<CompletionScorerRouter>().ResolveRules("math"),
                    RuleScoringBenchmark.Samples(4096), TimeSpan.FromSeconds(ruleSeconds))));
            var sandboxes = services.GetRequiredService<SandboxProvider>();
            var availability = await sandboxes.CheckAsync(context.Cancellation);
            SandboxBenchmarkResult? sandboxed = availability.Available
                ? await ProgressDisplay.StatusAsync($"timing {sandboxRuns} sandboxed Python runs against {sandboxRuns} bare starts",
                    async () => await SandboxBenchmark.RunAsync(await sandboxes.GetAsync(context.Cancellation), sandboxRuns, context.Cancellation))
                : null;
            CodeScoringBenchmarkResult? scored = availability.Available
                ? await ProgressDisplay.StatusAsync($"scoring {codeCompletions} code completions in sandbox sessions, with a sandbox per completion and with a sandbox per stdin test",
                    async () => await CodeScoringBenchmark.RunAsync(await sandboxes.GetAsync(context.Cancellation), codeCompletions, context.Cancellation))
                : null;
            var report = new Report(
                rules.ScoresPerSecondPerCore, rules.Scores, rules.Seconds, rules.MeanCompletionChars, rules.CorrectShare,
                sandboxed?.SandboxedRunsPerSecond, sandboxed?.BareRunsPerSecond, sandboxed?.OverheadRatio,
                sandboxed?.Runs, sandboxed?.Parallelism,
                scored?.SessionCompletionsPerSecond, scored?.OnePerCompletionCompletionsPerSecond,
                scored?.OnePerTestCompletionsPerSecond, scored?.SessionSpeedup, scored?.Speedup,
                scored?.Completions, scored?.StdinTestsPerCompletion,
                sandboxed?.Isolation, sandboxed?.PythonCommand,
                availability.Available ? null : availability.Detail, Environment.ProcessorCount, MachineDescription.Current());

            var table = new Table().Border(TableBorder.Rounded).Title($"[bold]verifier on {Environment.ProcessorCount} cores[/]")
                .Caption(Markup.Escape(report.Machine.Summary));
            table.AddColumn("measure").AddColumn(new TableColumn("per second").RightAligned()).AddColumn("detail");
            table.AddRow("rule scores, one core", $"{rules.ScoresPerSecondPerCore:N0}", Markup.Escape($"{rules.Scores:N0} math completions of {rules.MeanCompletionChars:F0} chars ({rules.CorrectShare:P0} correct) in {rules.Seconds:F1} s"));
            if (sandboxed is not null)
            {
                table.AddRow("sandboxed Python runs", $"{sandboxed.SandboxedRunsPerSecond:F1}", Markup.Escape($"{sandboxed.Runs} runs, {sandboxed.Parallelism} at once"));
                table.AddRow("bare Python starts", $"{sandboxed.BareRunsPerSecond:F1}", Markup.Escape(sandboxed.PythonCommand));
                table.AddRow("sandbox overhead", $"{sandboxed.OverheadRatio:F2}×", "time per sandboxed run ÷ time per bare start");
            }
            if (scored is not null)
            {
                var what = $"{scored.Completions} reference solutions of the built-in code problems ({scored.StdinTestsPerCompletion:F1} stdin tests each on average), {scored.Parallelism} at once";
                table.AddRow("code completions, sandbox sessions", $"{scored.SessionCompletionsPerSecond:F1}", Markup.Escape(what));
                table.AddRow("code completions, a sandbox per completion", $"{scored.OnePerCompletionCompletionsPerSecond:F1}", Markup.Escape(what));
                table.AddRow("code completions, a sandbox per stdin test", $"{scored.OnePerTestCompletionsPerSecond:F1}", Markup.Escape(what));
                table.AddRow("sessions", $"{scored.SessionSpeedup:F2}×", "completions per second in sessions ÷ with a sandbox per stdin test");
                table.AddRow("a sandbox per completion", $"{scored.Speedup:F2}×", "completions per second, one sandbox per completion ÷ one per stdin test");
            }
            context.Out.Write(table);
            if (sandboxed is not null) context.Out.MarkupLineInterpolated($"[grey]isolation: {sandboxed.Isolation}[/]");
            await context.WriteJsonAsync(report);
            if (sandboxed is not null) return ExitCodes.Success;
            context.Err.MarkupLineInterpolated($"[red]error:[/] the sandbox cannot be established here, so code runs were not measured: {availability.Detail}");
            return ExitCodes.BadInput;
        });
    }
}

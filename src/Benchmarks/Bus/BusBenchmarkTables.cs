using System.Globalization;
using Pipeline.Learner.Runs;
using Spectre.Console;

namespace Pipeline.Benchmarks.Bus;

/// <summary>The tables of <c>pipeline bench bus</c>: each mode's throughput, where its wall time went and how busy the
/// machine was; then the CPU of both timed runs by thread name, and the machine's other processes.</summary>
public static class BusBenchmarkTables
{
    public static void Write(BusBenchmarkResult result, RunSettings runConfig, IAnsiConsole console)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{runConfig.Run.Steps}×{runConfig.Run.PromptsPerBatch}×{runConfig.Run.GroupSize} samples[/]")
            .Caption(Markup.Escape($"start: run created → version 0 published; waiting: per step, the learner idle until its batch's last group arrived; " +
                $"training: per step, batch ready → version recorded (GRPO step, checkpoint, database); end: last version → run finished. " +
                PairsCaption(result) +
                $"{(result.Pairs.Count > 1 ? "All" : "Both")} runs drew {(result.SamePrompts ? "the same" : "DIFFERENT")} prompts" +
                (result.WarmupSteps > 0 ? $", each after an untimed warm-up run of {result.WarmupSteps} step(s) in the same processes." : "; no warm-up: both include their processes' first calls.") +
                CpuCaption(result)));
        foreach (var column in new[] { "mode", "samples/s", "wall s", "versions", "start s", "waiting s/step", "training s/step", "end s", "busy", "CPU s Pipeline / other", "held-out accuracy" })
            table.AddColumn(new TableColumn(column).RightAligned());
        void Row(string name, BusBenchmarkMode m) => table.AddRow(name, $"{m.SamplesPerSecond:F1}", $"{m.WallSeconds:F1}", $"{m.PolicyVersions}",
            $"{m.StartSeconds:F2}", $"{m.WaitingSecondsPerStep:F3}", $"{m.TrainingSecondsPerStep:F3}", $"{m.EndSeconds:F2}",
            m.Cpu is { } cpu ? $"{cpu.BusyFraction:P0}" : "–", m.Cpu is { } use ? $"{use.Processes.Values.Sum():F1} / {use.OtherCoreSeconds:F1}" : "–", $"{m.Accuracy:P1}");
        Row("embedded", result.Embedded);
        Row($"RabbitMQ + PostgreSQL ({result.RolloutWorkers}+{result.Verifiers})", result.Services);
        table.AddRow("ratio / difference", $"{result.Ratio:F2}", "", "", "", "", "", "", "", "", $"{result.AccuracyDifference * 100:+0.0;-0.0} pts");
        console.Write(table);
        if (ThreadTable(result) is { } threads) console.Write(threads);
    }

    /// <summary>With repeated pairs, every pair's ratio in the order run, and which one the table shows.</summary>
    static string PairsCaption(BusBenchmarkResult result) => result.Pairs.Count > 1
        ? $"Ratios of the {result.Pairs.Count} timed pairs, in order: {string.Join(", ", result.Pairs.Select(p => p.Ratio.ToString("F2", CultureInfo.InvariantCulture)))}; " +
          $"the table shows the pair of the median ({result.Ratio.ToString("F2", CultureInfo.InvariantCulture)}{(result.Pairs.Count % 2 == 0 ? ", the lower of the two middle ones" : "")}). "
        : "";

    /// <summary>The caption's account of the CPU in each timed run: how busy the machine was and the core-seconds of
    /// each process, then of everything else.</summary>
    static string CpuCaption(BusBenchmarkResult result)
    {
        static string Of(CpuUse cpu) =>
            string.Join(", ", cpu.Processes.Select(p => $"{p.Key} {p.Value:F1}")) + $", other (broker, database, sandboxes, kernel) {cpu.OtherCoreSeconds:F1}";
        return result.Embedded.Cpu is { } embedded && result.Services.Cpu is { } services
            ? $" busy: the machine's busy share of its processors during the timed run; CPU s: core-seconds meanwhile — embedded: {Of(embedded)}; services: {Of(services)}."
            : "";
    }

    /// <summary>Core-seconds of each mode's timed run by thread name, summed over the mode's processes, so that the same
    /// work lines up: the learner's steps, the evaluator, the rollout sampler, the thread pool; then what no Pipeline
    /// process used, and by which other processes. Null without CPU figures.</summary>
    static Table? ThreadTable(BusBenchmarkResult result)
    {
        if (result.Embedded.Cpu is not { } embedded || result.Services.Cpu is not { } services) return null;
        static Dictionary<string, double> ByName(CpuUse cpu) => cpu.Threads.Values.SelectMany(t => t)
            .GroupBy(t => t.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(t => t.Value), StringComparer.Ordinal);
        var (e, s) = (ByName(embedded), ByName(services));
        const double shown = 0.1;   // names below this in both modes are summed into one row
        var names = e.Keys.Union(s.Keys).Where(n => e.GetValueOrDefault(n) >= shown || s.GetValueOrDefault(n) >= shown)
            .OrderByDescending(n => Math.Max(e.GetValueOrDefault(n), s.GetValueOrDefault(n))).ToArray();
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]CPU core-seconds of the timed runs, by thread[/]")
            .Caption($"threads of every Pipeline process, by name; the embedded run's are read every {CpuMeter.SamplePeriod.TotalSeconds:0.0#} s, " +
                "so one that ended loses at most that much, the services' (which outlive the run) at its start and end");
        foreach (var column in new[] { "thread", "embedded", "services" }) table.AddColumn(new TableColumn(column).RightAligned());
        foreach (var name in names) table.AddRow(Markup.Escape(name), $"{e.GetValueOrDefault(name):F2}", $"{s.GetValueOrDefault(name):F2}");
        double Rest(Dictionary<string, double> byName) => byName.Where(t => !names.Contains(t.Key)).Sum(t => t.Value);
        table.AddRow("other threads", $"{Rest(e):F2}", $"{Rest(s):F2}");
        table.AddRow("not Pipeline (broker, database, kernel)", $"{embedded.OtherCoreSeconds:F2}", $"{services.OtherCoreSeconds:F2}");
        var others = embedded.OtherProcesses.Keys.Union(services.OtherProcesses.Keys)
            .Where(n => embedded.OtherProcesses.GetValueOrDefault(n) >= shown || services.OtherProcesses.GetValueOrDefault(n) >= shown)
            .OrderByDescending(n => Math.Max(embedded.OtherProcesses.GetValueOrDefault(n), services.OtherProcesses.GetValueOrDefault(n)));
        foreach (var name in others)
            table.AddRow($"  of which {Markup.Escape(name)}", $"{embedded.OtherProcesses.GetValueOrDefault(name):F2}", $"{services.OtherProcesses.GetValueOrDefault(name):F2}");
        return table;
    }
}

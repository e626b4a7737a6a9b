using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Data;
using Pipeline.Data.Entities;
using Pipeline.Data.Stores;
using Pipeline.Learner.Evaluation;
using Pipeline.Learner.Runs;
using Pipeline.Orchestration;
using Pipeline.Policy;
using Pipeline.Policy.Checkpoints;

namespace Pipeline.Benchmarks.Bus;

/// <summary>One mode's figures: scored completions per second of run wall time (from the run's creation to its end),
/// the held-out greedy accuracy of its final policy (measured here, with the same evaluator, for both modes), and
/// where the wall time went: <see cref="StartSeconds"/> from the run's creation to version 0's publication, the mean
/// per-step waiting and training (<see cref="StepTimes"/>), and <see cref="EndSeconds"/> from the last version to the
/// run's end; and, where the machine's counters can be read, where the CPU went meanwhile (<see cref="Cpu"/>).</summary>
public sealed record BusBenchmarkMode(double SamplesPerSecond, double Accuracy, double WallSeconds, int PolicyVersions,
    double StartSeconds, double WaitingSecondsPerStep, double TrainingSecondsPerStep, double EndSeconds, CpuUse? Cpu = null);

/// <summary>One timed pair of runs: the embedded run, then the same run on the services.</summary>
public sealed record BusBenchmarkPair(double EmbeddedSamplesPerSecond, double ServicesSamplesPerSecond, double Ratio);

/// <param name="Embedded">the embedded run of the median pair (the only pair unless <c>--repeats</c>)</param>
/// <param name="Services">the services' run of the median pair</param>
/// <param name="Ratio">services ÷ embedded samples per second of the median pair</param>
/// <param name="SamePrompts">whether every run drew the same prompts, batch for batch</param>
/// <param name="WarmupSteps">the steps of the untimed run each mode made first (0: none)</param>
/// <param name="Pairs">every timed pair in the order run; the median pair is the one of
/// <see cref="BusBenchmark.MedianPair"/></param>
public sealed record BusBenchmarkResult(BusBenchmarkMode Embedded, BusBenchmarkMode Services, double Ratio,
    double AccuracyDifference, bool SamePrompts, int RolloutWorkers, int Verifiers, int WarmupSteps, IReadOnlyList<BusBenchmarkPair> Pairs);

/// <summary>The same run twice, in one sitting on one machine: embedded (in-memory bus, SQLite) and as separate
/// service processes over RabbitMQ and PostgreSQL, with the same settings and seed. The ratio of their end-to-end
/// throughput is the bus, storage and process overhead; the per-step breakdown, read from what each run stored, says
/// where it goes; the accuracy difference shows that distribution does not change what is learned. On a shared machine
/// one pair's ratio moves by ±0.1 from one bench to the next, so the pair can be repeated, alternately, with the same
/// processes: the pair of the median ratio is reported, with every pair's ratio beside it.</summary>
public static class BusBenchmark
{
    /// <summary>This process's name in the services' <see cref="CpuUse.Processes"/>: the bench, waiting for the run.</summary>
    public const string WaitingProcess = "bench (waiting)";

    /// <param name="warmupSteps">each mode first makes an untimed run of this many steps (0: none), so that both timed runs
    /// start warm: the first batch's first calls — JIT compilation, libtorch's kernel set-up, the first database and
    /// broker round trips — are paid once per process, by one process embedded and by three as services</param>
    /// <param name="repeats">timed pairs (embedded, then services), at least 1</param>
    /// <param name="keepCheckpoints">leave the runs' checkpoints in place; by default each run's folder under
    /// <c>Run:CheckpointDirectory</c> is deleted once every run's accuracy has been measured</param>
    public static async Task<BusBenchmarkResult> RunAsync(IConfiguration configuration, RunSettings config, PolicyEvaluator evaluator,
        int rolloutWorkers, int verifiers, int warmupSteps, string scratch, CancellationToken cancellation, bool keepCheckpoints = false,
        int repeats = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        var runs = new List<Guid>();   // every run this bench made, whose checkpoints it deletes at the end
        var warmup = warmupSteps > 0 ? WarmupRun(config, warmupSteps) : null;
        int samples = config.Run.Steps * config.Run.PromptsPerBatch * config.Run.GroupSize;
        var heldOut = TaskSources.For(config).HeldOut;
        async Task<double> Accuracy(string checkpoint)
        {
            using var policy = Checkpoint.Load(checkpoint);
            return (await evaluator.EvaluateAsync(policy, heldOut, 0, config.Run.MaxTokens, cancellationToken: cancellation)).Accuracy;
        }

        var embeddedSettings = new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RabbitMq:Host"] = "",
            ["Storage:Provider"] = "sqlite",
            ["Storage:ConnectionString"] = $"Data Source={Path.Combine(scratch, "embedded.db")}",
        }).Build();
        if (warmup is not null) runs.Add((await EmbeddedRun.RunAsync(embeddedSettings, warmup, null, null, cancellation)).Outcome.RunId);

        var environment = configuration.AsEnumerable()
            .Where(kv => kv.Value is not null && (kv.Key.StartsWith("RabbitMq:") || kv.Key.StartsWith("Storage:") || kv.Key.StartsWith("Hangfire:")))
            .ToDictionary(kv => kv.Key.Replace(":", "__"), kv => kv.Value!);
        // Like with like: the services share this machine as the embedded run's learner and rollout shared its process,
        // so each gets the libtorch threads that run had (its thread plan, TorchRuntime.SideBySide) unless the
        // settings give the service its own. With one thread per core each, the two services' parallel regions wait
        // on each other's preempted threads.
        foreach (var service in new[] { "Learner", "Rollout" })
        {
            int threads = configuration.GetValue<int>($"{service}:TorchThreads");
            environment[$"{service}__TorchThreads"] = (threads > 0 ? threads : TorchRuntime.Threads).ToString(CultureInfo.InvariantCulture);
        }
        await using (var database = StorageServices.Build(configuration))
            await database.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellation);
        // The services start before the first timed run, so that every timed run, embedded or not, has the same
        // processes beside it (idle, for the embedded ones).
        using var services = new ServiceProcesses(Path.Combine(scratch, "logs"), environment);
        services.Start("Learner");
        for (int i = 0; i < rolloutWorkers; i++) services.Start("Rollout", i);
        for (int i = 0; i < verifiers; i++) services.Start("Verifier", i);
        if (warmup is not null) runs.Add(await RunOnServicesAsync(configuration, warmup, scratch, cancellation));

        using var self = Process.GetCurrentProcess();
        var pairs = new List<(BusBenchmarkMode Embedded, BusBenchmarkMode Services)>();
        bool samePrompts = true;
        IReadOnlyList<(int, int, string)>? firstPrompts = null;
        for (int repeat = 0; repeat < repeats; repeat++)
        {
            await QuietAsync(services.Named.Values, cancellation);
            using var embeddedCpu = CpuMeter.Start(new Dictionary<string, Process> { ["pipeline"] = self });
            var outcome = (await EmbeddedRun.RunAsync(embeddedSettings, config, null, null, cancellation)).Outcome;
            runs.Add(outcome.RunId);
            var embeddedUse = embeddedCpu.Stop();
            var embeddedRun = await StoredRunTimes.ReadAsync(embeddedSettings, outcome.RunId, cancellation);
            var embedded = embeddedRun.Mode(samples, await Accuracy(outcome.FinalCheckpoint)) with { Cpu = embeddedUse };

            // This process only starts the run and polls the database for its end meanwhile; it is counted by its own name.
            // The services' threads outlive the run, so they are read at its start and end only: sampling them meanwhile
            // would spend CPU the services share.
            using var servicesCpu = CpuMeter.Start(new Dictionary<string, Process>(services.Named) { [WaitingProcess] = self }, sampleThreads: false);
            var runId = await RunOnServicesAsync(configuration, config, scratch, cancellation);
            runs.Add(runId);
            var servicesUse = servicesCpu.Stop();
            var servicesRun = await StoredRunTimes.ReadAsync(configuration, runId, cancellation);
            var distributed = servicesRun.Mode(samples, await Accuracy(servicesRun.FinalCheckpoint)) with { Cpu = servicesUse };

            firstPrompts ??= embeddedRun.Prompts;
            samePrompts &= embeddedRun.Prompts.SequenceEqual(firstPrompts) && servicesRun.Prompts.SequenceEqual(firstPrompts);
            pairs.Add((embedded, distributed));
        }

        // A bench's runs are measurements, not results: their checkpoints (about 0.2 GB a run of the demo's size)
        // would otherwise pile up under Run:CheckpointDirectory, bench after bench.
        if (!keepCheckpoints)
            foreach (var run in runs)
            {
                var directory = PolicyRecorder.RunDirectory(config.Run.CheckpointDirectory, run);
                if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
            }

        var ratios = pairs.Select(p => p.Services.SamplesPerSecond / p.Embedded.SamplesPerSecond).ToArray();
        var (medianEmbedded, medianServices) = pairs[MedianPair(ratios)];
        return new BusBenchmarkResult(medianEmbedded, medianServices, ratios[MedianPair(ratios)], medianServices.Accuracy - medianEmbedded.Accuracy,
            samePrompts, rolloutWorkers, verifiers, warmupSteps,
            pairs.Select((p, i) => new BusBenchmarkPair(p.Embedded.SamplesPerSecond, p.Services.SamplesPerSecond, ratios[i])).ToArray());
    }

    /// <summary>Waits until the services have been idle for half a second (under 5 % of one core together), for at most
    /// 15 s: the services' run ends once its last version is evaluated, but a worker may still be loading that version,
    /// and an embedded run timed meanwhile would share the machine with it.</summary>
    static async Task QuietAsync(IEnumerable<Process> services, CancellationToken cancellation)
    {
        var processes = services.ToArray();
        TimeSpan Used() => processes.Aggregate(TimeSpan.Zero, (sum, p) =>
        {
            p.Refresh();
            return p.HasExited ? sum : sum + p.TotalProcessorTime;
        });
        var window = TimeSpan.FromSeconds(0.5);
        var waited = Stopwatch.StartNew();
        var before = Used();
        while (waited.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(window, cancellation);
            var now = Used();
            if (now - before < window * 0.05) return;
            before = now;
        }
    }

    /// <summary>The index of the pair whose ratio is the median: the middle one of an odd count, the lower of the two
    /// middle ones of an even count (a pair that was measured, not an average of two).</summary>
    public static int MedianPair(IReadOnlyList<double> ratios)
    {
        if (ratios.Count == 0) throw new ArgumentException("no pairs to take the median of", nameof(ratios));
        var order = Enumerable.Range(0, ratios.Count).OrderBy(i => ratios[i]).ThenBy(i => i).ToArray();
        return order[(ratios.Count - 1) / 2];
    }

    /// <summary>The timed run's settings cut to <paramref name="steps"/> steps, with another seed, evaluating its last
    /// version (so that the evaluator's first calls are made too).</summary>
    static RunSettings WarmupRun(RunSettings config, int steps)
    {
        var run = config.Run.Clone();
        run.Steps = steps;
        run.Seed = config.Run.Seed + 1;
        run.EvaluateEvery = steps;
        return config with { Run = run };
    }

    /// <summary>Starts a run on the services and waits until it has completed with its last version evaluated.</summary>
    static async Task<Guid> RunOnServicesAsync(IConfiguration configuration, RunSettings run, string scratch, CancellationToken cancellation)
    {
        var runId = await RemoteRun.StartAsync(configuration, run, cancellation);
        var report = await RemoteRun.WaitAsync(configuration, runId, TimeSpan.FromMinutes(60), _ => { }, cancellation);
        if (report.Run.Status != RunStatus.Completed)
            throw new InvalidOperationException($"the services' run {runId} ended {report.Run.Status}: {report.Run.Error} (logs in {scratch}/logs)");
        return runId;
    }
}

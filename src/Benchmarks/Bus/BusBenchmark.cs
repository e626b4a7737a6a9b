using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Data;
using Pipeline.Data.Entities;
using Pipeline.Data.Stores;
using Pipeline.Learner.Evaluation;
using Pipeline.Learner.Runs;
using Pipeline.Orchestration;
using Pipeline.Policy.Checkpoints;

namespace Pipeline.Benchmarks.Bus;

/// <summary>One mode's figures: scored completions per second of run wall time, and the held-out greedy accuracy
/// of its final policy (measured here, with the same evaluator, for both modes).</summary>
public sealed record BusBenchmarkMode(double SamplesPerSecond, double WallSeconds, int PolicyVersions, double Accuracy);

public sealed record BusBenchmarkResult(BusBenchmarkMode Embedded, BusBenchmarkMode Distributed, double SamplesPerSecondRatio,
    double AccuracyDifference, int RolloutWorkers, int Verifiers);

/// <summary>The same run twice, in one sitting on one machine: embedded (in-memory bus, SQLite) and as separate
/// service processes over RabbitMQ and PostgreSQL. The ratio of their end-to-end throughput is the bus and storage
/// overhead; the accuracy difference shows that distribution does not change what is learned.</summary>
public static class BusBenchmark
{
    public static async Task<BusBenchmarkResult> RunAsync(IConfiguration configuration, RunSettings config, PolicyEvaluator evaluator,
        int rolloutWorkers, int verifiers, string scratch, CancellationToken cancellation)
    {
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
        var outcome = (await EmbeddedRun.RunAsync(embeddedSettings, config, null, null, cancellation)).Outcome;
        var embedded = new BusBenchmarkMode(samples / outcome.WallSeconds, outcome.WallSeconds, outcome.PolicyVersions, await Accuracy(outcome.FinalCheckpoint));

        var environment = configuration.AsEnumerable()
            .Where(kv => kv.Value is not null && (kv.Key.StartsWith("RabbitMq:") || kv.Key.StartsWith("Storage:") || kv.Key.StartsWith("Hangfire:")))
            .ToDictionary(kv => kv.Key.Replace(":", "__"), kv => kv.Value!);
        await using (var database = StorageServices.Build(configuration))
            await database.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellation);
        using var services = new ServiceProcesses(Path.Combine(scratch, "logs"), environment);
        services.Start("Learner");
        for (int i = 0; i < rolloutWorkers; i++) services.Start("Rollout", i);
        for (int i = 0; i < verifiers; i++) services.Start("Verifier", i);
        var runId = await RemoteRun.StartAsync(configuration, config, cancellation);
        var report = await RemoteRun.WaitAsync(configuration, runId, TimeSpan.FromMinutes(60), _ => { }, cancellation);
        if (report.Run.Status != RunStatus.Completed)
            throw new InvalidOperationException($"the distributed run {runId} ended {report.Run.Status}: {report.Run.Error} (logs in {scratch}/logs)");
        await using var storage = StorageServices.Build(configuration);
        var latest = await storage.GetRequiredService<PolicyVersionStore>().LatestAsync(runId, cancellation)
            ?? throw new InvalidOperationException($"the distributed run {runId} published no policy");
        double seconds = (report.Run.FinishedAt!.Value - report.Run.CreatedAt).TotalSeconds;
        var distributed = new BusBenchmarkMode(samples / seconds, seconds, report.LatestPolicyVersion ?? 0, await Accuracy(CheckpointUris.ToPath(latest.CheckpointUri)));

        return new BusBenchmarkResult(embedded, distributed, distributed.SamplesPerSecond / embedded.SamplesPerSecond,
            distributed.Accuracy - embedded.Accuracy, rolloutWorkers, verifiers);
    }
}

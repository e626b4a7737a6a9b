using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Data.Stores;
using Pipeline.Orchestration;
using Pipeline.Policy.Checkpoints;

namespace Pipeline.Benchmarks.Bus;

/// <summary>A finished run as the benchmark reads it back from its database: its timestamps, the prompts it drew
/// (batch, prompt id, text, in that order) and its last checkpoint.</summary>
public sealed record StoredRunTimes(DateTimeOffset Created, DateTimeOffset Finished, DateTimeOffset FirstVersion, DateTimeOffset LastVersion,
    int PolicyVersions, StepTimes Steps, IReadOnlyList<(int Batch, int Prompt, string Text)> Prompts, string FinalCheckpoint)
{
    public double WallSeconds => (Finished - Created).TotalSeconds;

    public BusBenchmarkMode Mode(int samples, double accuracy) => new(samples / WallSeconds, accuracy, WallSeconds, PolicyVersions,
        (FirstVersion - Created).TotalSeconds, Steps.WaitingSeconds, Steps.TrainingSeconds, (Finished - LastVersion).TotalSeconds);

    public static async Task<StoredRunTimes> ReadAsync(IConfiguration storage, Guid runId, CancellationToken cancellation)
    {
        await using var services = StorageServices.Build(storage);
        var run = await services.GetRequiredService<RunStore>().GetAsync(runId, cancellation)
            ?? throw new InvalidOperationException($"run {runId} is not in the database");
        var versions = (await services.GetRequiredService<PolicyVersionStore>().ListAsync(runId, cancellation)).OrderBy(v => v.Version).ToArray();
        if (versions.Length == 0 || run.FinishedAt is not { } finished)
            throw new InvalidOperationException($"run {runId} published no policy or has not finished");
        var recorded = versions.ToDictionary(v => v.Version, v => v.CreatedAt);

        var complete = new Dictionary<int, DateTimeOffset>();
        var prompts = new List<(int, int, string)>();
        await foreach (var stored in services.GetRequiredService<ScoredGroupStore>().ReadRunAsync(runId, cancellation))
        {
            var group = stored.Group;
            prompts.Add((group.BatchId, group.PromptId, group.Prompt.Text));
            if (!complete.TryGetValue(group.BatchId, out var last) || stored.ReceivedAt > last) complete[group.BatchId] = stored.ReceivedAt;
        }
        var steps = (await services.GetRequiredService<TrainingStepStore>().ListAsync(runId, cancellation))
            .Where(s => s.PolicyVersion is { } v && recorded.ContainsKey(v))
            .OrderBy(s => s.Step)
            .Select(s => (s.BatchId, recorded[s.PolicyVersion!.Value]))
            .ToArray();
        return new StoredRunTimes(run.CreatedAt, finished, versions[0].CreatedAt, versions[^1].CreatedAt, versions.Length - 1,
            StepTimes.Of(versions[0].CreatedAt, complete, steps), prompts, CheckpointUris.ToPath(versions[^1].CheckpointUri));
    }
}

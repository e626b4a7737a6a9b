using MassTransit;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts;
using Pipeline.Data.Stores;
using Pipeline.Hosting;

namespace Pipeline.Learner.Runs;

/// <summary>Sends a run's prompt batches to the rollout workers, and counts the groups that come back from what the
/// database holds — so that what one learner counts never depends on which learner happened to store a group.</summary>
public sealed class BatchDispatcher(ScoredGroupStore groups, IBus bus, ILogger<BatchDispatcher> logger)
{
    static readonly Uri GenerateRolloutsQueue = new($"queue:{Queues.GenerateRollouts}");

    /// <summary>Sends the run's next batch that no learner has consumed, for its prompts that have no stored group, to be
    /// sampled with the latest announced version; a send while the broker is away waits for it (<see cref="BusRetry"/>).</summary>
    internal async Task DispatchNextAsync(ActiveRun active, CancellationToken cancellationToken)
    {
        var settings = active.Config.Run;
        while (active.Consumed.Contains(active.NextBatch)) active.NextBatch++;
        if (active.NextBatch >= settings.Steps) return;
        int batchId = active.NextBatch++;
        var prompts = active.Feed.Batch(batchId);
        var policy = active.Published!;
        active.Dispatched(batchId, policy.Version, prompts.Count);
        // Groups of this batch already stored (sent before a learner restart, or stored before their batch was
        // dispatched here) are counted from the database and not generated again: counts come from what is stored.
        var stored = await CountStoredAsync(active, batchId, cancellationToken);
        var missing = prompts.Where(p => !stored.Contains(p.PromptId)).ToArray();
        if (missing.Length == 0) return;
        await bus.SendWithRetry(GenerateRolloutsQueue, new GenerateRollouts
        {
            RunId = active.RunId,
            BatchId = batchId,
            PolicyVersion = policy.Version,
            PolicyCheckpointUri = policy.CheckpointUri,
            PolicySha256 = policy.Sha256,
            Prompts = missing,
            GroupSize = settings.GroupSize,
            Sampling = new SamplingSettings { Temperature = settings.Temperature, TopP = settings.TopP, MaxTokens = settings.MaxTokens, Seed = settings.Seed, Stop = settings.Stop },
        }, cancellationToken);
    }

    /// <summary>Counts, for every batch still waiting, the groups the database holds that this learner has not seen: a
    /// group stored by another learner's consumer (two learners share the scored-group queue), or one whose insert
    /// committed while its consumer saw an error.</summary>
    internal async Task ReconcileAsync(ActiveRun active, CancellationToken cancellationToken)
    {
        foreach (int batchId in active.WaitingBatches())
        {
            int before = active.ArrivedCount(batchId);
            var stored = await CountStoredAsync(active, batchId, cancellationToken);
            if (stored.Count > before)
                logger.LogInformation("Run {RunId}: batch {BatchId} has {Stored} groups in the database, {Counted} counted here: counted now",
                    active.RunId, batchId, stored.Count, before);
        }
    }

    async Task<HashSet<int>> CountStoredAsync(ActiveRun active, int batchId, CancellationToken cancellationToken)
    {
        var stored = await groups.ReadBatchAsync(active.RunId, batchId, cancellationToken);
        foreach (var group in stored) active.Arrived(group.Group);
        return stored.Select(g => g.Group.PromptId).ToHashSet();
    }
}

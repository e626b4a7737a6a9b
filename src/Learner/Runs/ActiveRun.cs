using System.Diagnostics;
using System.Threading.Channels;
using Pipeline.Contracts;
using Pipeline.Learner.Training;

namespace Pipeline.Learner.Runs;

/// <summary>The learner's in-memory state of one run: which batches are out, which groups have arrived, and the
/// queue of complete batches waiting for a GRPO step. Groups are stored before they are counted here, so this
/// state only ever reflects groups that the database holds exactly once.</summary>
sealed class ActiveRun(Guid runId, RunSettings config, PromptFeed feed, GrpoTrainer trainer)
{
    readonly Dictionary<int, PendingBatch> _batches = [];
    readonly Lock _lock = new();

    public Guid RunId { get; } = runId;
    public RunSettings Config { get; } = config;
    public PromptFeed Feed { get; } = feed;
    public GrpoTrainer Trainer { get; } = trainer;
    public Channel<PendingBatch> Ready { get; } = Channel.CreateUnbounded<PendingBatch>();
    public TaskCompletionSource<RunOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public Stopwatch Clock { get; } = Stopwatch.StartNew();

    /// <summary>The latest published policy version.</summary>
    public int Version => Published?.Version ?? 0;

    /// <summary>The announcement of <see cref="Version"/>: where it lies and its hash, which each dispatched batch carries.</summary>
    public PolicyPublished? Published { get; set; }
    public int NextBatch { get; set; }
    public int FinishedBatches { get; set; }
    public int StaleBatches { get; set; }
    public long GeneratedTokens { get; set; }

    public void Dispatched(int batchId, int policyVersion, int expectedGroups)
    {
        lock (_lock) _batches[batchId] = new PendingBatch(batchId, policyVersion, expectedGroups);
    }

    /// <summary>Counts a newly stored group; a batch whose last group this is goes to <see cref="Ready"/>.</summary>
    public void Arrived(RolloutGroupScored group)
    {
        PendingBatch? complete = null;
        lock (_lock)
        {
            if (!_batches.TryGetValue(group.BatchId, out var batch))
                throw new InvalidOperationException($"run {RunId} never dispatched batch {group.BatchId}");
            batch.Groups.Add(group);
            if (batch.Groups.Count == batch.ExpectedGroups)
            {
                _batches.Remove(group.BatchId);
                complete = batch;
            }
        }
        if (complete is not null) Ready.Writer.TryWrite(complete);
    }

    /// <summary>Ends the run's training loop with <paramref name="reason"/>: the batch it waits for will never be complete.</summary>
    public void Fail(string reason) => Ready.Writer.TryComplete(new RunFailedException(reason));

    /// <summary>True when a group is too old to train on: its policy lags the learner by more than the bound.</summary>
    public bool IsStale(int policyVersion) => Version - policyVersion > Config.Run.MaxOffPolicySteps;
}

/// <summary>Why a run failed when the learner itself did not throw: work it dispatched ended in an error queue.</summary>
public sealed class RunFailedException(string message) : Exception(message);

/// <summary>A dispatched batch and the groups of it that have arrived.</summary>
sealed record PendingBatch(int BatchId, int PolicyVersion, int ExpectedGroups)
{
    public List<RolloutGroupScored> Groups { get; } = [];
}

using System.Diagnostics;
using System.Threading.Channels;
using Pipeline.Contracts;
using Pipeline.Learner.Training;

namespace Pipeline.Learner.Runs;

/// <summary>The learner's in-memory state of one run: which batches are out, which groups have arrived, and the
/// queue of complete batches waiting for a GRPO step. Groups are stored before they are counted here, and a batch
/// counts each prompt once, so this state only ever reflects groups that the database holds exactly once — and it
/// can be rebuilt from the database (<see cref="RunCoordinator.ResumeAsync"/>).</summary>
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

    /// <summary>The latest policy version: trained, though perhaps still being recorded (then <see cref="Published"/>
    /// is one behind it).</summary>
    public int Version => Math.Max(Trained, Published?.Version ?? 0);

    /// <summary>The version the latest step of this learner made (0 before it made one).</summary>
    public int Trained { get; set; }

    /// <summary>The latest announced version: where it lies and its hash, which each dispatched batch carries.</summary>
    public PolicyPublished? Published { get; set; }
    public int NextBatch { get; set; }

    /// <summary>Batches a previous learner already consumed (a resumed run): never dispatched again.</summary>
    public HashSet<int> Consumed { get; init; } = [];
    public int FinishedBatches { get; set; }
    public int StaleBatches { get; set; }
    public long GeneratedTokens { get; set; }

    public void Dispatched(int batchId, int policyVersion, int expectedGroups)
    {
        lock (_lock) _batches[batchId] = new PendingBatch(batchId, policyVersion, expectedGroups);
    }

    /// <summary>Counts a stored group once; a batch whose last group this is goes to <see cref="Ready"/>. A group of a
    /// batch this learner has not dispatched (yet) is not counted: it is in the database, and dispatching its batch
    /// counts it from there.</summary>
    /// <returns>whether the group was counted now</returns>
    public bool Arrived(RolloutGroupScored group)
    {
        PendingBatch? complete = null;
        lock (_lock)
        {
            if (!_batches.TryGetValue(group.BatchId, out var batch) || !batch.Groups.TryAdd(group.PromptId, group)) return false;
            if (batch.Groups.Count == batch.ExpectedGroups)
            {
                _batches.Remove(group.BatchId);
                complete = batch;
            }
        }
        if (complete is not null) Ready.Writer.TryWrite(complete);
        return true;
    }

    /// <summary>The dispatched batches still waiting for groups.</summary>
    public int[] WaitingBatches()
    {
        lock (_lock) return _batches.Keys.Order().ToArray();
    }

    /// <summary>How many groups of a waiting batch have been counted.</summary>
    public int ArrivedCount(int batchId)
    {
        lock (_lock) return _batches.TryGetValue(batchId, out var batch) ? batch.Groups.Count : 0;
    }

    /// <summary>Whether a dispatched batch still waits for this prompt's group.</summary>
    public bool IsWaitingFor(int batchId, int promptId)
    {
        lock (_lock) return _batches.TryGetValue(batchId, out var batch) && !batch.Groups.ContainsKey(promptId);
    }

    /// <summary>Ends the run's training loop with <paramref name="reason"/>: the batch it waits for will never be complete.</summary>
    public void Fail(string reason) => Ready.Writer.TryComplete(new RunFailedException(reason));

    /// <summary>Ends the run's training loop with the failure of a step's record (its version, rows or the next batch's
    /// dispatch): nothing else would wake a loop that waits for the batch the record was to dispatch.</summary>
    public void RecordFailed(Exception failure) => Ready.Writer.TryComplete(failure);

    /// <summary>Ends the run's training loop here because another learner holds the run now (<see cref="RunLease"/>).</summary>
    public void LoseLease() => Ready.Writer.TryComplete(new LeaseLostException(RunId));

    /// <summary>True when a group is too old to train on: its policy lags the learner by more than the bound.</summary>
    public bool IsStale(int policyVersion) => Version - policyVersion > Config.Run.MaxOffPolicySteps;
}

/// <summary>Why a run failed when the learner itself did not throw: work it dispatched ended in an error queue.</summary>
public sealed class RunFailedException(string message) : Exception(message);

/// <summary>This learner no longer holds the run's lease: it stops training the run, which another learner continues.</summary>
public sealed class LeaseLostException(Guid runId) : Exception($"run {runId} is held by another learner");

/// <summary>A dispatched batch and the groups of it that have arrived, one per prompt.</summary>
sealed record PendingBatch(int BatchId, int DispatchedVersion, int ExpectedGroups)
{
    public Dictionary<int, RolloutGroupScored> Groups { get; } = [];

    /// <summary>The oldest policy that generated any of its groups (after a learner restart, groups generated before it
    /// and groups generated after it share a batch).</summary>
    public int PolicyVersion => Groups.Count == 0 ? DispatchedVersion : Math.Min(DispatchedVersion, Groups.Values.Min(g => g.PolicyVersion));
}

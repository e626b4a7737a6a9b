using System.Collections.Concurrent;
using System.Threading.Channels;
using Hangfire;
using MassTransit;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts;
using Pipeline.Data;
using Pipeline.Data.Stores;
using Pipeline.Learner.Evaluation;
using Pipeline.Learner.Training;
using Pipeline.Policy.Checkpoints;
using Pipeline.Policy.Model;

namespace Pipeline.Learner.Runs;

/// <summary>The learner: starts runs, feeds prompt batches to the rollout workers while keeping at most
/// <see cref="RunOptions.MaxOffPolicySteps"/> versions in flight, takes scored groups (exactly once, by the
/// database's unique key), applies one GRPO step per complete batch, and publishes each new policy version.</summary>
public sealed class RunCoordinator(
    RunStore runs,
    ScoredGroupStore groups,
    TrainingStepRunner stepRunner,
    WeightPublisher publisher,
    IBus bus,
    IBackgroundJobClient jobs,
    IEnumerable<IRunObserver> observers,
    ILogger<RunCoordinator> logger)
{
    readonly ConcurrentDictionary<Guid, ActiveRun> _active = new();
    readonly IRunObserver[] _observers = observers.ToArray();

    /// <param name="runId">the run's id when the caller chose it (a remote <c>pipeline train</c>); a run that
    /// already exists is not started again, so a redelivered start command is harmless</param>
    public async Task<Guid> StartAsync(RunSettings config, Guid? runId, CancellationToken cancellationToken)
    {
        // Stored with absolute paths, so that a replay from another directory finds the same base policy.
        config = config with { Run = config.Run.WithAbsolutePaths() };
        var settings = config.Run;
        if (runId is { } existing && (_active.ContainsKey(existing) || await runs.GetAsync(existing, cancellationToken) is not null))
        {
            logger.LogWarning("Run {RunId} already exists: not starting it again", existing);
            return existing;
        }
        if (!Checkpoint.Exists(settings.BasePolicy))
            throw new FileNotFoundException($"Run:BasePolicy '{settings.BasePolicy}' is not a checkpoint directory (run `pipeline pretrain` first)");
        var run = await runs.CreateAsync(new NewRun
        {
            Id = runId,
            Name = settings.Name,
            ConfigJson = config.ToJson(),
            Seed = settings.Seed,
            GroupsExpected = settings.Steps * settings.PromptsPerBatch,
            BasePolicySha256 = Checkpoint.Sha256Of(settings.BasePolicy),
            CodeVersion = CodeVersion.Current,
        }, cancellationToken);

        var policy = Checkpoint.Load(settings.BasePolicy, precision: config.Grpo.Precision);
        var reference = config.Grpo.Beta > 0 ? Checkpoint.Load(settings.BasePolicy) : null;
        var trainer = new GrpoTrainer(policy, reference, config.Grpo, settings.MaxTokens, settings.Temperature);
        var active = new ActiveRun(run.Id, config, new PromptFeed(TaskSources.For(config), settings.Seed, settings.PromptsPerBatch), trainer);
        _active[run.Id] = active;

        active.Published = await publisher.PublishAsync(run.Id, 0, trainer, settings.CheckpointDirectory, settings.CheckpointFormat, cancellationToken);
        for (int i = 0; i <= settings.MaxOffPolicySteps && active.NextBatch < settings.Steps; i++)
            await DispatchAsync(active, cancellationToken);
        _ = Task.Run(() => TrainLoopAsync(active), CancellationToken.None);
        logger.LogInformation("Run {RunId} ({Name}) started: {Steps} batches of {Prompts}×{Group}", run.Id, settings.Name, settings.Steps, settings.PromptsPerBatch, settings.GroupSize);
        return run.Id;
    }

    /// <summary>Completes when the run has trained on all its batches, or fails with the run.</summary>
    public Task<RunOutcome> WaitAsync(Guid runId) =>
        _active.TryGetValue(runId, out var active) ? active.Completion.Task : throw new KeyNotFoundException($"run {runId} is not active in this learner");

    /// <summary>Stores a scored group once; a redelivered or duplicated group is acknowledged and counted, not used twice.</summary>
    public async Task AcceptAsync(RolloutGroupScored group, CancellationToken cancellationToken)
    {
        _active.TryGetValue(group.RunId, out var active);
        bool stale = active?.IsStale(group.PolicyVersion) ?? false;
        var outcome = await groups.TryAddAsync(group, stale, cancellationToken);
        if (outcome == AddOutcome.Duplicate)
        {
            logger.LogInformation("Ignored a duplicate of group ({BatchId}, {PromptId}) of run {RunId}", group.BatchId, group.PromptId, group.RunId);
            return;
        }
        if (active is null)
        {
            logger.LogWarning("Stored group ({BatchId}, {PromptId}) of run {RunId}, which this learner is not running", group.BatchId, group.PromptId, group.RunId);
            return;
        }
        active.Arrived(group);
    }

    /// <summary>Fails a run this learner is running because part of it can never arrive (see
    /// <see cref="Consumers.RunFaultConsumer"/>); a run it is not running (finished, or another learner's) is left as it is.</summary>
    public Task FailAsync(Guid runId, string reason)
    {
        if (_active.TryGetValue(runId, out var active) && !active.Completion.Task.IsCompleted)
        {
            logger.LogError("Run {RunId} cannot complete: {Reason}", runId, reason);
            active.Fail(reason);
        }
        else
        {
            logger.LogWarning("A fault for run {RunId}, which this learner is not running (or has ended): {Reason}", runId, reason);
        }
        return Task.CompletedTask;
    }

    async Task DispatchAsync(ActiveRun active, CancellationToken cancellationToken)
    {
        var settings = active.Config.Run;
        int batchId = active.NextBatch++;
        var prompts = active.Feed.Batch(batchId);
        active.Dispatched(batchId, active.Version, prompts.Count);
        var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{Queues.GenerateRollouts}"));
        await endpoint.Send(new GenerateRollouts
        {
            RunId = active.RunId,
            BatchId = batchId,
            PolicyVersion = active.Version,
            PolicyCheckpointUri = active.Published!.CheckpointUri,
            PolicySha256 = active.Published.Sha256,
            Prompts = prompts,
            GroupSize = settings.GroupSize,
            Sampling = new SamplingSettings { Temperature = settings.Temperature, TopP = settings.TopP, MaxTokens = settings.MaxTokens, Seed = settings.Seed, Stop = settings.Stop },
        }, cancellationToken);
    }

    async Task TrainLoopAsync(ActiveRun active)
    {
        try
        {
            var settings = active.Config.Run;
            while (active.FinishedBatches < settings.Steps)
            {
                var batch = await active.Ready.Reader.ReadAsync();
                await TrainAsync(active, batch);
                active.FinishedBatches++;
                if (active.NextBatch < settings.Steps) await DispatchAsync(active, CancellationToken.None);
            }
            bool finalEvaluated = settings.EvaluateEvery > 0 && active.Version % settings.EvaluateEvery == 0;
            if (!finalEvaluated)
                jobs.Enqueue<EvaluationJob>(job => job.RunAsync(active.RunId, active.Version, CancellationToken.None));
            await runs.MarkCompletedAsync(active.RunId);
            active.Completion.TrySetResult(new RunOutcome(active.RunId, active.Version, active.Version, CheckpointUris.ToPath(active.Published!.CheckpointUri),
                active.StaleBatches, active.Clock.Elapsed.TotalSeconds));
        }
        catch (Exception e)
        {
            var cause = e is ChannelClosedException { InnerException: RunFailedException failed } ? failed : e;
            logger.LogError(cause, "Run {RunId} failed", active.RunId);
            await runs.MarkFailedAsync(active.RunId, cause.Message);
            active.Completion.TrySetException(cause);
        }
        finally
        {
            active.Trainer.Dispose();
        }
    }

    async Task TrainAsync(ActiveRun active, PendingBatch batch)
    {
        bool stale = active.IsStale(batch.PolicyVersion);
        if (stale)
        {
            active.StaleBatches++;
            logger.LogWarning("Batch {BatchId} of run {RunId} was generated by version {Version}, more than {Bound} behind: stored, not trained on",
                batch.BatchId, active.RunId, batch.PolicyVersion, active.Config.Run.MaxOffPolicySteps);
        }
        var consumed = new ConsumedBatch(active.RunId, active.FinishedBatches + 1, batch.BatchId, batch.PolicyVersion, active.Version, stale,
            batch.Groups.OrderBy(g => g.PromptId).ToArray());
        var outcome = await stepRunner.RunAsync(consumed, active.Trainer, active.Config.Run, CancellationToken.None);
        if (outcome.Recorded is { } recorded)
        {
            await publisher.AnnounceAsync(recorded, CancellationToken.None);
            active.Published = recorded;
            if (active.Config.Run.EvaluateEvery > 0 && active.Version % active.Config.Run.EvaluateEvery == 0)
                jobs.Enqueue<EvaluationJob>(job => job.RunAsync(active.RunId, active.Version, CancellationToken.None));
        }
        if (outcome.Step is not { } step) return;
        active.GeneratedTokens += batch.Groups.Sum(g => g.Completions.Sum(c => (long)c.TokenIds.Length / sizeof(int)));
        double tokensPerSecond = active.GeneratedTokens / Math.Max(1e-9, active.Clock.Elapsed.TotalSeconds);
        foreach (var observer in _observers) observer.OnStep(active.RunId, batch.BatchId, active.Version, step, tokensPerSecond);
    }
}

using System.Collections.Concurrent;
using System.Threading.Channels;
using Hangfire;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Data;
using Pipeline.Data.Entities;
using Pipeline.Data.Stores;
using Pipeline.Learner.Evaluation;
using Pipeline.Learner.Training;
using Pipeline.Policy;
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
    TrainingStepStore steps,
    PolicyVersionStore versions,
    IHostApplicationLifetime lifetime,
    IOptions<LearnerOptions> learnerOptions,
    IOptions<PolicyOptions> placement,
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
        // The run is recorded before anything can go wrong with it, so that every refusal below is a failed run with
        // its reason — visible to `pipeline train` and `runs show` — never a command that silently disappears.
        var run = await runs.CreateAsync(new NewRun
        {
            Id = runId,
            Name = settings.Name,
            ConfigJson = config.ToJson(),
            Seed = settings.Seed,
            GroupsExpected = settings.Steps * settings.PromptsPerBatch,
            CodeVersion = CodeVersion.Current,
        }, cancellationToken);

        try
        {
            RunAdmission.Check(config, learnerOptions.Value);
            if (!Checkpoint.Exists(settings.BasePolicy))
                throw new FileNotFoundException($"Run:BasePolicy '{settings.BasePolicy}' is not a checkpoint directory (run `pipeline pretrain` first)");
            RunAdmission.CheckFits(config, Checkpoint.ReadConfig(settings.BasePolicy));
            await runs.SetBasePolicyAsync(run.Id, Checkpoint.Sha256Of(settings.BasePolicy), cancellationToken);
            var trainer = RecordedTrainer.New(Checkpoint.Load(settings.BasePolicy, precision: config.Grpo.Precision), config, placement.Value);
            var active = new ActiveRun(run.Id, config, new PromptFeed(TaskSources.For(config), settings.Seed, settings.PromptsPerBatch), trainer);
            _active[run.Id] = active;

            active.Published = await publisher.PublishAsync(run.Id, 0, trainer, settings.CheckpointDirectory, settings.CheckpointFormat, cancellationToken);
            for (int i = 0; i <= settings.MaxOffPolicySteps && active.NextBatch < settings.Steps; i++)
                await DispatchAsync(active, cancellationToken);
            _ = Task.Run(() => TrainLoopAsync(active), CancellationToken.None);
        }
        catch (Exception e)
        {
            // The run row exists: a start that cannot complete fails it visibly rather than leaving it running.
            _active.TryRemove(run.Id, out _);
            await runs.MarkFailedAsync(run.Id, $"the run could not start: {e.Message}", CancellationToken.None);
            throw;
        }
        logger.LogInformation("Run {RunId} ({Name}) started: {Steps} batches of {Prompts}×{Group}", run.Id, settings.Name, settings.Steps, settings.PromptsPerBatch, settings.GroupSize);
        return run.Id;
    }

    /// <summary>
    /// Takes up a run a previous learner left running (it crashed, or was stopped), from what the database and the
    /// checkpoint store hold: the latest version with a training-step row (its weights and AdamW state), the batches
    /// consumed, and the groups already stored. Unconsumed batches are dispatched again for their missing prompts only;
    /// a command of the old learner still queued delivers groups that are stored once (the unique key) and counted
    /// once (per prompt). A version written after the last step row (a crash between the two) is simply written again by
    /// the same deterministic step.
    /// </summary>
    public async Task ResumeAsync(Guid runId, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(runId, cancellationToken) ?? throw new KeyNotFoundException($"run {runId} does not exist");
        if (_active.ContainsKey(runId) || run.Status != RunStatus.Running) return;
        var config = RunSettings.FromJson(run.ConfigJson);
        var settings = config.Run;
        var record = await steps.ListAsync(runId, cancellationToken);
        int version = record.LastOrDefault(s => s.PolicyVersion is not null)?.PolicyVersion ?? 0;
        var published = await versions.GetAsync(runId, version, cancellationToken)
            ?? throw new InvalidDataException($"run {runId} recorded no policy version {version}: it cannot be resumed");
        var trainer = RecordedTrainer.AtVersion(published, config, placement.Value, run.BasePolicySha256);
        var active = new ActiveRun(runId, config, new PromptFeed(TaskSources.For(config), settings.Seed, settings.PromptsPerBatch), trainer)
        {
            Consumed = record.Select(s => s.BatchId).ToHashSet(),
            FinishedBatches = record.Count,
            StaleBatches = record.Count(s => s.WasStale),
            Published = new PolicyPublished
            {
                RunId = runId,
                Version = version,
                CheckpointUri = published.CheckpointUri,
                Sha256 = published.Sha256,
                Format = published.Format,
            },
        };
        if (!_active.TryAdd(runId, active)) return;
        for (int i = 0; i <= settings.MaxOffPolicySteps && active.NextBatch < settings.Steps; i++)
            await DispatchAsync(active, cancellationToken);
        _ = Task.Run(() => TrainLoopAsync(active), CancellationToken.None);
        logger.LogInformation("Run {RunId} ({Name}) resumed at version {Version} after {Steps} of {Total} steps", runId, run.Name, version, record.Count, settings.Steps);
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
            // A store that succeeded while its caller saw an error is redelivered as a duplicate: count the stored copy
            // if this learner is still waiting for it, so its batch completes.
            if (active?.IsWaitingFor(group.BatchId, group.PromptId) == true
                && await groups.GetAsync(group.RunId, group.BatchId, group.PromptId, cancellationToken) is { } stored
                && active.Arrived(stored.Group))
                return;
            logger.LogInformation("Ignored a duplicate of group ({BatchId}, {PromptId}) of run {RunId}", group.BatchId, group.PromptId, group.RunId);
            return;
        }
        if (active is null)
        {
            logger.LogWarning("Stored group ({BatchId}, {PromptId}) of run {RunId}, which this learner is not running", group.BatchId, group.PromptId, group.RunId);
            return;
        }
        if (!active.Arrived(group))
            logger.LogInformation("Stored group ({BatchId}, {PromptId}) of run {RunId} before its batch was dispatched here: counted when it is",
                group.BatchId, group.PromptId, group.RunId);
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
        while (active.Consumed.Contains(active.NextBatch)) active.NextBatch++;
        if (active.NextBatch >= settings.Steps) return;
        int batchId = active.NextBatch++;
        var prompts = active.Feed.Batch(batchId);
        active.Dispatched(batchId, active.Version, prompts.Count);
        // Groups of this batch already stored (sent before a learner restart, or stored before their batch was
        // dispatched here) are counted from the database and not generated again: counts come from what is stored.
        var stored = (await groups.ReadBatchAsync(active.RunId, batchId, cancellationToken)).Select(g => g.Group).ToArray();
        foreach (var group in stored) active.Arrived(group);
        var missing = prompts.Where(p => stored.All(g => g.PromptId != p.PromptId)).ToArray();
        if (missing.Length == 0) return;
        var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{Queues.GenerateRollouts}"));
        await endpoint.Send(new GenerateRollouts
        {
            RunId = active.RunId,
            BatchId = batchId,
            PolicyVersion = active.Version,
            PolicyCheckpointUri = active.Published!.CheckpointUri,
            PolicySha256 = active.Published.Sha256,
            Prompts = missing,
            GroupSize = settings.GroupSize,
            Sampling = new SamplingSettings { Temperature = settings.Temperature, TopP = settings.TopP, MaxTokens = settings.MaxTokens, Seed = settings.Seed, Stop = settings.Stop },
        }, cancellationToken);
    }

    async Task TrainLoopAsync(ActiveRun active)
    {
        var stopping = lifetime.ApplicationStopping;
        try
        {
            var settings = active.Config.Run;
            while (active.FinishedBatches < settings.Steps)
            {
                PendingBatch batch;
                try
                {
                    batch = await active.Ready.Reader.ReadAsync(stopping);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    // Every step is already on disk and in the database: the run stays running, and the next learner
                    // resumes it from there.
                    logger.LogInformation("Stopping: run {RunId} stays running after {Steps} steps and resumes with the next learner", active.RunId, active.FinishedBatches);
                    active.Completion.TrySetCanceled(stopping);
                    _active.TryRemove(active.RunId, out _);
                    return;
                }
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
            batch.Groups.Values.OrderBy(g => g.PromptId).ToArray());
        var outcome = await stepRunner.RunAsync(consumed, active.Trainer, active.Config.Run, CancellationToken.None);
        if (outcome.Recorded is { } recorded)
        {
            await publisher.AnnounceAsync(recorded, CancellationToken.None);
            active.Published = recorded;
            if (active.Config.Run.EvaluateEvery > 0 && active.Version % active.Config.Run.EvaluateEvery == 0)
                jobs.Enqueue<EvaluationJob>(job => job.RunAsync(active.RunId, active.Version, CancellationToken.None));
        }
        if (outcome.Step is not { } step) return;
        logger.LogInformation("Run {RunId} step {Step}: batch {BatchId} -> version {Version}; reward {Reward:F3}, accuracy {Accuracy:P0}, format {Format:P0}, groups {GroupsUsed}/{Groups}, {Seconds:F2} s",
            active.RunId, consumed.Step, batch.BatchId, active.Version, step.MeanReward, step.Accuracy, step.FormatRate, step.GroupsUsed,
            step.GroupsUsed + step.GroupsDropped, step.Seconds);
        active.GeneratedTokens += batch.Groups.Values.Sum(g => g.Completions.Sum(c => (long)c.TokenIds.Length / sizeof(int)));
        double tokensPerSecond = active.GeneratedTokens / Math.Max(1e-9, active.Clock.Elapsed.TotalSeconds);
        foreach (var observer in _observers) observer.OnStep(active.RunId, batch.BatchId, active.Version, step, tokensPerSecond);
    }
}

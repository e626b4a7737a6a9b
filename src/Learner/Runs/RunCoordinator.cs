using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Hangfire;
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
using Pipeline.Rewards;

namespace Pipeline.Learner.Runs;

/// <summary>The learner: starts runs, feeds prompt batches to the rollout workers while keeping at most
/// <see cref="RunOptions.MaxOffPolicySteps"/> versions in flight, takes scored groups (exactly once, by the
/// database's unique key), applies one GRPO step per complete batch, and publishes each new policy version.</summary>
public sealed class RunCoordinator(
    RunStore runs,
    ScoredGroupStore groups,
    TrainingStepRunner stepRunner,
    WeightPublisher publisher,
    BatchDispatcher dispatcher,
    RunLease lease,
    IBackgroundJobClient jobs,
    TrainingStepStore steps,
    PolicyVersionStore versions,
    IHostApplicationLifetime lifetime,
    IOptions<LearnerOptions> learnerOptions,
    IOptions<PolicyOptions> placement,
    CompletionScorerRouter scorers,
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
        config = config with { Run = config.Run.WithAbsolutePaths(), LearnerThreads = TorchRuntime.Threads };
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
            LeaseOwner = lease.Owner,
            LeaseDuration = lease.Duration,
        }, cancellationToken);

        try
        {
            await BeginAsync(run.Id, config, cancellationToken);
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

    /// <summary>Records a run whose settings could not even be read as failed, with the reason, so that the sender
    /// (<c>pipeline train</c>) and <c>runs show</c> see why; a run that already exists is left as it is.</summary>
    public async Task RefuseAsync(Guid? runId, string configJson, string reason, CancellationToken cancellationToken)
    {
        if (runId is { } id && await runs.GetAsync(id, cancellationToken) is not null) return;
        const int keep = 64 * 1024;
        var run = await runs.CreateAsync(new NewRun
        {
            Id = runId,
            Name = "(unreadable settings)",
            ConfigJson = configJson.Length <= keep ? configJson : configJson[..keep],
            Seed = 0,
            GroupsExpected = 0,
            CodeVersion = CodeVersion.Current,
            // Held from creation, so that no standby tries to resume it in the moment before it is failed.
            LeaseOwner = lease.Owner,
            LeaseDuration = lease.Duration,
        }, cancellationToken);
        logger.LogError("Run {RunId} refused: {Reason}", run.Id, reason);
        await runs.MarkFailedAsync(run.Id, reason, cancellationToken);
    }

    /// <summary>A start after the run row exists: the admission checks, the base policy loaded and published as version 0,
    /// the first batches dispatched and the training loop started. Also how a run resumes whose learner died before it
    /// recorded version 0. The lease is renewed throughout: loading the policy and writing version 0 can take longer
    /// than a lease on a busy host, and a standby must not take up a run that is still starting.</summary>
    async Task BeginAsync(Guid runId, RunSettings config, CancellationToken cancellationToken)
    {
        var settings = config.Run;
        using var starting = new CancellationTokenSource();
        var keeping = lease.KeepAsync(runId, () => { }, starting.Token);
        try
        {
            RunAdmission.Check(config, learnerOptions.Value);
            if (!Checkpoint.Exists(settings.BasePolicy))
                throw new FileNotFoundException($"Run:BasePolicy '{settings.BasePolicy}' is not a checkpoint directory (run `pipeline pretrain` first)");
            var policyConfig = Checkpoint.ReadConfig(settings.BasePolicy);
            RunAdmission.CheckFits(config, policyConfig);
            var task = TaskSources.For(config);
            await RunAdmission.CheckProblemsAsync(task, Checkpoint.ReadPromptTokens(settings.BasePolicy), settings.MaxTokens, policyConfig, scorers, cancellationToken);
            await runs.SetBasePolicyAsync(runId, Checkpoint.Sha256Of(settings.BasePolicy), cancellationToken);
            var trainer = RecordedTrainer.New(Checkpoint.Load(settings.BasePolicy, precision: placement.Value.TrainingPrecision(config.Grpo.Precision)), config, placement.Value);
            var active = new ActiveRun(runId, config, new PromptFeed(task, settings.Seed, settings.PromptsPerBatch), trainer);
            _active[runId] = active;

            active.Published = await publisher.PublishAsync(runId, 0, trainer, settings.CheckpointDirectory, settings.CheckpointFormat, cancellationToken);
            await lease.TryHoldAsync(runId, cancellationToken);
            for (int i = 0; i <= settings.MaxOffPolicySteps && active.NextBatch < settings.Steps; i++)
                await dispatcher.DispatchNextAsync(active, cancellationToken);
            _ = Task.Run(() => TrainLoopAsync(active), CancellationToken.None);
        }
        finally
        {
            await starting.CancelAsync();
            await keeping;
        }
    }

    /// <summary>
    /// Takes up a run a previous learner left running (it crashed, or was stopped) once this learner holds its lease
    /// (<see cref="RunLease"/>; a run another live learner holds is left alone), from what the database and the
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
        // A run whose lease this learner already holds is one it is starting (it holds the lease from the row's
        // creation, before the run is active here): not one to resume.
        if (run.LeaseOwner == lease.Owner) return;
        if (!await lease.TryHoldAsync(runId, cancellationToken)) return;
        var config = RunSettings.FromJson(run.ConfigJson);
        var settings = config.Run;
        var record = await steps.ListAsync(runId, cancellationToken);
        if (record.Count == 0 && await versions.GetAsync(runId, 0, cancellationToken) is null)
        {
            // Its learner died while starting it, before version 0 was recorded: start it again from the base policy.
            try
            {
                await BeginAsync(runId, config, cancellationToken);
            }
            catch
            {
                _active.TryRemove(runId, out _);
                throw;
            }
            logger.LogInformation("Run {RunId} ({Name}) resumed from its base policy: its learner stopped before recording version 0", runId, run.Name);
            return;
        }
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
            await dispatcher.DispatchNextAsync(active, cancellationToken);
        _ = Task.Run(() => TrainLoopAsync(active), CancellationToken.None);
        logger.LogInformation("Run {RunId} ({Name}) resumed at version {Version} after {Steps} of {Total} steps", runId, run.Name, version, record.Count, settings.Steps);
    }

    /// <summary>Whether this learner trains the run now.</summary>
    public bool IsActive(Guid runId) => _active.TryGetValue(runId, out var active) && !active.Completion.Task.IsCompleted;

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
            // Normal with a standby learner: the learner that holds the run counts it from the database.
            logger.LogDebug("Stored group ({BatchId}, {PromptId}) of run {RunId}, which this learner is not running", group.BatchId, group.PromptId, group.RunId);
            return;
        }
        if (!active.Arrived(group))
            logger.LogInformation("Stored group ({BatchId}, {PromptId}) of run {RunId} before its batch was dispatched here: counted when it is",
                group.BatchId, group.PromptId, group.RunId);
    }

    /// <summary>Fails a run because part of it can never arrive (see <see cref="Consumers.RunFaultConsumer"/>). A run
    /// another learner trains (the fault reached the standby) is failed in the database, and its learner stops when it
    /// next renews the lease; a run that has ended is left as it is.</summary>
    public async Task FailAsync(Guid runId, string reason)
    {
        if (_active.TryGetValue(runId, out var active) && !active.Completion.Task.IsCompleted)
        {
            logger.LogError("Run {RunId} cannot complete: {Reason}", runId, reason);
            active.Fail(reason);
        }
        else if (await runs.GetAsync(runId) is { Status: RunStatus.Running })
        {
            logger.LogError("Run {RunId}, trained by another learner, cannot complete: {Reason}", runId, reason);
            await runs.MarkFailedAsync(runId, reason);
        }
        else
        {
            logger.LogWarning("A fault for run {RunId}, which has ended: {Reason}", runId, reason);
        }
    }

    /// <summary>Trains the run's batches in order. Each step is recorded — its version made durable, recorded and announced,
    /// its rows written, the next batch dispatched (<see cref="FinishAsync"/>) — while the next step trains, one record at
    /// a time and in step order: step n + 1's record starts when step n's has ended, so step n + 2 trains only after
    /// step n is recorded.</summary>
    async Task TrainLoopAsync(ActiveRun active)
    {
        var stopping = lifetime.ApplicationStopping;
        using var endLease = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var keeping = lease.KeepAsync(active.RunId, active.LoseLease, endLease.Token);
        var recording = Task.CompletedTask;
        try
        {
            var settings = active.Config.Run;
            while (active.FinishedBatches < settings.Steps)
            {
                if (await NextBatchAsync(active, stopping) is not { } batch)
                {
                    // Every step is already on disk and in the database: the run stays running, and the next learner
                    // (a standby at once, the lease given up) resumes it from there.
                    await recording;
                    logger.LogInformation("Stopping: run {RunId} stays running after {Steps} steps and resumes with the next learner", active.RunId, active.FinishedBatches);
                    await ReleaseQuietlyAsync(active.RunId);
                    _active.TryRemove(active.RunId, out _);
                    active.Completion.TrySetCanceled(stopping);
                    return;
                }
                // Fenced: the step is trained and recorded only with the lease held for a whole lease period from here.
                if (!await lease.TryHoldAsync(active.RunId, CancellationToken.None)) throw new LeaseLostException(active.RunId);
                var trained = await TrainAsync(active, batch);
                active.FinishedBatches++;
                try
                {
                    await recording;
                }
                catch
                {
                    trained.Dispose();
                    throw;
                }
                recording = RecordInBackground(active, batch, trained);
            }
            await recording;
            bool finalEvaluated = settings.EvaluateEvery > 0 && active.Version % settings.EvaluateEvery == 0;
            if (!finalEvaluated)
                await EnqueueEvaluationAsync(active.RunId, active.Version);
            await runs.MarkCompletedAsync(active.RunId);
            active.Completion.TrySetResult(new RunOutcome(active.RunId, active.Version, active.Version, CheckpointUris.ToPath(active.Published!.CheckpointUri),
                active.StaleBatches, active.Clock.Elapsed.TotalSeconds));
        }
        catch (Exception e) when (e is LeaseLostException or ChannelClosedException { InnerException: LeaseLostException })
        {
            await SettleAsync(active, recording);
            logger.LogWarning("Run {RunId}: another learner holds it now; this learner stops training it after {Steps} steps", active.RunId, active.FinishedBatches);
            _active.TryRemove(active.RunId, out _);
            active.Completion.TrySetException(e as LeaseLostException ?? e.InnerException!);
        }
        catch (Exception e)
        {
            await SettleAsync(active, recording);
            // The channel ends with why: a fault from the error queue, or a step whose record failed.
            var cause = e is ChannelClosedException { InnerException: { } inner } ? inner : e;
            logger.LogError(cause, "Run {RunId} failed", active.RunId);
            try
            {
                await runs.MarkFailedAsync(active.RunId, cause.Message);
            }
            catch (Exception marking)
            {
                // The run stays running in the database, for a standby learner to resume once the lease runs out; its
                // waiters here hear of the failure all the same.
                logger.LogError("Run {RunId}: recording that it failed failed too ({Message})", active.RunId, marking.Message);
            }
            active.Completion.TrySetException(cause);
        }
        finally
        {
            await endLease.CancelAsync();
            await keeping;
            active.Trainer.Dispose();
        }
    }

    /// <summary>Records a trained step on the thread pool (the record begins with the checkpoint's fsyncs, which block).
    /// A record that fails ends the loop at once through <see cref="ActiveRun.Ready"/>: the loop may be waiting for the
    /// very batch that this record was to dispatch, and would otherwise wait for ever without a word. A record that
    /// takes longer than <see cref="SlowRecord"/> (storage retrying) says so each time that passes.</summary>
    Task RecordInBackground(ActiveRun active, PendingBatch batch, TrainedBatch trained) =>
        Task.Run(async () =>
        {
            try
            {
                var clock = Stopwatch.StartNew();
                var finishing = FinishAsync(active, batch, trained);
                while (await Task.WhenAny(finishing, Task.Delay(SlowRecord)) != finishing)
                    logger.LogWarning("Run {RunId}: recording step {Step} (batch {BatchId}) has taken {Seconds:F0} s so far",
                        active.RunId, trained.Batch.Step, batch.BatchId, clock.Elapsed.TotalSeconds);
                await finishing;
            }
            catch (Exception e)
            {
                active.RecordFailed(e);
                throw;
            }
        });

    static readonly TimeSpan SlowRecord = TimeSpan.FromMinutes(1);

    /// <summary>Lets a step's record that is still under way end before the loop gives the run up; its own failure, if
    /// that is not what ended the loop, is logged.</summary>
    async Task SettleAsync(ActiveRun active, Task recording)
    {
        try
        {
            await recording;
        }
        catch (Exception e)
        {
            logger.LogDebug("Run {RunId}: recording its last step ended with {Message}", active.RunId, e.Message);
        }
    }

    /// <summary>The next complete batch, or null when the learner is stopping. While it waits, it counts from the database
    /// the groups other learners stored (<see cref="BatchDispatcher.ReconcileAsync"/>) every lease-renewal period; a
    /// database that is away meanwhile is waited out.</summary>
    async Task<PendingBatch?> NextBatchAsync(ActiveRun active, CancellationToken stopping)
    {
        while (true)
        {
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            idle.CancelAfter(lease.RenewEvery);
            try
            {
                return await active.Ready.Reader.ReadAsync(idle.Token);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return null;
            }
            catch (OperationCanceledException)
            {
                try
                {
                    await dispatcher.ReconcileAsync(active, stopping);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning("Run {RunId}: counting stored groups failed ({Message}); trying again", active.RunId, e.Message);
                }
            }
        }
    }

    /// <summary>Schedules the held-out evaluation of a version. Evaluations are not part of the run: one that cannot be
    /// scheduled — Hangfire's storage away for longer than about a minute of retries — is logged and skipped, never a
    /// reason to fail the run (a database restart used to fail it here).</summary>
    async Task EnqueueEvaluationAsync(Guid runId, int version)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                jobs.Enqueue<EvaluationJob>(job => job.RunAsync(runId, version, CancellationToken.None));
                return;
            }
            catch (BackgroundJobClientException e) when (attempt < 8)
            {
                logger.LogWarning("Run {RunId}: scheduling the evaluation of version {Version} failed ({Message}); trying again", runId, version, e.InnerException?.Message ?? e.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(15, 1 << attempt)));
            }
            catch (BackgroundJobClientException e)
            {
                logger.LogError(e, "Run {RunId}: the evaluation of version {Version} could not be scheduled; the run goes on without it", runId, version);
                return;
            }
        }
    }

    async Task ReleaseQuietlyAsync(Guid runId)
    {
        try
        {
            await lease.ReleaseAsync(runId);
        }
        catch (Exception e)
        {
            logger.LogWarning("Run {RunId}: giving up the lease failed ({Message}); it runs out by itself", runId, e.Message);
        }
    }

    /// <summary>A batch's GRPO step (none for a stale batch), with its version's staging started; the run's version moves on.</summary>
    async Task<TrainedBatch> TrainAsync(ActiveRun active, PendingBatch batch)
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
        var trained = await stepRunner.TrainAsync(consumed, active.Trainer, active.Config.Run);
        if (trained.Staging is not null) active.Trained = consumed.Version + 1;
        return trained;
    }

    /// <summary>A trained batch recorded (<see cref="TrainingStepRunner.RecordAsync"/>), its version announced and, every
    /// <c>EvaluateEvery</c> versions, evaluated; then the run's next batch is dispatched with it.</summary>
    async Task FinishAsync(ActiveRun active, PendingBatch batch, TrainedBatch trained)
    {
        using (trained)
        {
            var outcome = await stepRunner.RecordAsync(trained, active.Config.Run, CancellationToken.None);
            if (outcome.Recorded is { } recorded)
            {
                await publisher.AnnounceAsync(recorded, CancellationToken.None);
                active.Published = recorded;
                if (active.Config.Run.EvaluateEvery > 0 && recorded.Version % active.Config.Run.EvaluateEvery == 0)
                    await EnqueueEvaluationAsync(active.RunId, recorded.Version);
            }
            if (outcome.Step is { } step)
            {
                active.GeneratedTokens += batch.Groups.Values.Sum(g => g.Completions.Sum(c => (long)c.TokenIds.Length / sizeof(int)));
                double tokensPerSecond = active.GeneratedTokens / Math.Max(1e-9, active.Clock.Elapsed.TotalSeconds);
                foreach (var observer in _observers) observer.OnStep(active.RunId, batch.BatchId, active.Published!.Version, step, tokensPerSecond);
            }
        }
        if (active.NextBatch < active.Config.Run.Steps) await dispatcher.DispatchNextAsync(active, CancellationToken.None);
    }
}

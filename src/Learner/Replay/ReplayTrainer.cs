using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Data.Entities;
using Pipeline.Data.Stores;
using Pipeline.Hosting;
using Pipeline.Learner.Evaluation;
using Pipeline.Learner.Grpo;
using Pipeline.Learner.Runs;
using Pipeline.Learner.Training;
using Pipeline.Policy;
using Pipeline.Policy.Checkpoints;

namespace Pipeline.Learner.Replay;

/// <summary>What <c>pipeline replay train</c> asks for.</summary>
/// <param name="Overrides">only the <c>--set</c> values: sections Grpo and Run bound over the source run's own
/// settings (an offline ablation on the same trajectories); nothing else of the program's configuration applies</param>
/// <param name="FromVersion">start from this version of the source run (its weights and optimizer state)</param>
/// <param name="ScoringRevision">train on this saved re-scoring of the source run instead of its original scores</param>
/// <param name="TorchThreads">libtorch intra-op threads for the replay; 0: the source run's learner's, as recorded in its
/// settings (one per core for a run recorded before the count was)</param>
public sealed record ReplayRequest(Guid SourceRunId, IConfiguration Overrides, int? FromVersion = null, long? ScoringRevision = null, int TorchThreads = 0);

/// <summary>One policy version of a replay next to the source run's version of the same number.</summary>
public sealed record ReplayVersion(int Version, string Sha256, string? SourceSha256)
{
    public bool Identical => string.Equals(Sha256, SourceSha256, StringComparison.Ordinal);
}

public sealed record ReplayResult(Guid RunId, Guid SourceRunId, int Steps, IReadOnlyList<ReplayVersion> Versions, PolicyScore Final, double WallSeconds)
{
    /// <summary>True only when the replay produced exactly the source's versions, every one with the source's hash.</summary>
    public bool Identical { get; init; }
}

/// <summary>
/// <c>pipeline replay train</c>: a new run that trains on a finished run's stored groups in the order its learner
/// consumed them (the training-step record), with no generation and no verifier — the same
/// <see cref="TrainingStepRunner"/> the live learner uses, fed from the database. With the source's settings, on the
/// same machine and thread count, every version it writes has the source's SHA-256; with other Grpo settings it is
/// an offline ablation on identical trajectories. The replay is a run of its own (lineage in
/// <see cref="Run.SourceRunId"/>), with its own steps, versions, metrics and a held-out evaluation at the end.
/// </summary>
public sealed class ReplayTrainer(
    RunStore runs,
    TrainingStepStore steps,
    ScoredGroupStore groups,
    PolicyVersionStore versions,
    ScoringRevisionStore revisions,
    EvaluationStore evaluations,
    MetricStore metrics,
    PolicyRecorder recorder,
    TrainingStepRunner stepRunner,
    PolicyEvaluator evaluator,
    IOptions<PolicyOptions> placement)
{
    public async Task<ReplayResult> RunAsync(ReplayRequest request, IProgress<(int Step, int Steps)>? progress, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var source = await runs.GetAsync(request.SourceRunId, cancellationToken)
            ?? throw new ArgumentException($"no run {request.SourceRunId} in the configured database");
        if (source.Status == RunStatus.Running)
            throw new ArgumentException($"run {source.Id} is still running: replay it once it has finished");
        var record = await steps.ListAsync(source.Id, cancellationToken);
        if (record.Count == 0)
            throw new ArgumentException($"run {source.Id} has no training-step record (it ran before Pipeline recorded one, or trained nothing): it cannot be replayed");
        if (request.ScoringRevision is { } revisionId && (await revisions.GetAsync(revisionId, cancellationToken))?.RunId != source.Id)
            throw new ArgumentException($"scoring revision {revisionId} is not a re-scoring of run {source.Id}");

        var settings = WithOverrides(RunSettings.FromJson(source.ConfigJson), request.Overrides);
        TorchRuntime.Configure(request.TorchThreads > 0 ? request.TorchThreads : settings.LearnerThreads ?? 0);
        settings = settings with { LearnerThreads = TorchRuntime.Threads };
        var start = request.FromVersion ?? 0;
        var startStep = StartStep(record, start, source.Id);
        var run = await runs.CreateAsync(new NewRun
        {
            Name = $"{source.Name}-replay",
            ConfigJson = settings.ToJson(),
            Seed = source.Seed,
            GroupsExpected = source.GroupsExpected,
            BasePolicySha256 = source.BasePolicySha256,
            CodeVersion = CodeVersion.Current,
            SourceRunId = source.Id,
            SourceScoringRevisionId = request.ScoringRevision,
        }, cancellationToken);
        try
        {
            using var trainer = await StartingTrainerAsync(source, settings, start, cancellationToken);
            var written = new List<PolicyPublished> { await recorder.RecordAsync(run.Id, start, trainer, settings.Run.CheckpointDirectory, settings.Run.CheckpointFormat, cancellationToken) };
            int version = start;
            var todo = record.Skip(startStep).ToArray();
            for (int i = 0; i < todo.Length; i++)
            {
                var step = todo[i];
                var batch = await GroupsOfAsync(source.Id, step, request.ScoringRevision, cancellationToken);
                bool stale = step.WasStale;
                var outcome = await stepRunner.RunAsync(
                    new ConsumedBatch(run.Id, step.Step, step.BatchId, step.BehaviourVersion, version, stale, batch), trainer, settings.Run, cancellationToken);
                if (outcome.Recorded is { } recorded)
                {
                    written.Add(recorded);
                    version = recorded.Version;
                }
                progress?.Report((i + 1, todo.Length));
            }

            var final = await evaluator.EvaluateAsync(trainer.Policy, TaskSources.For(settings).HeldOut, settings.Run.EvaluationK, settings.Run.MaxTokens,
                settings.Run.Seed, cancellationToken: cancellationToken);
            await evaluations.AddAsync(new EvaluationResult
            {
                RunId = run.Id,
                PolicyVersion = version,
                Split = EvaluationJob.Split,
                Accuracy = final.Accuracy,
                FormatRate = final.FormatRate,
                PassAtK = double.IsNaN(final.PassAtK) ? 0 : final.PassAtK,
                K = final.K,
            }, cancellationToken);
            await metrics.AppendStepAsync(run.Id, version, EvaluationMetrics.Of(final), cancellationToken);
            await runs.MarkCompletedAsync(run.Id, cancellationToken);

            var sourceVersions = new Dictionary<int, string>();
            foreach (var v in written)
                if (await versions.GetAsync(source.Id, v.Version, cancellationToken) is { } match) sourceVersions[v.Version] = match.Sha256;
            var compared = written.Select(v => new ReplayVersion(v.Version, v.Sha256, sourceVersions.GetValueOrDefault(v.Version))).ToArray();
            var sourceLatest = (await versions.LatestAsync(source.Id, cancellationToken))?.Version ?? 0;
            return new ReplayResult(run.Id, source.Id, todo.Length, compared, final, clock.Elapsed.TotalSeconds)
            {
                Identical = compared.All(v => v.Identical) && version == sourceLatest,
            };
        }
        catch (Exception e)
        {
            await runs.MarkFailedAsync(run.Id, e.Message, CancellationToken.None);
            throw;
        }
    }

    /// <summary>The source's settings with the <c>--set</c> values of sections Grpo and Run bound over them, validated.</summary>
    static RunSettings WithOverrides(RunSettings source, IConfiguration overrides)
    {
        var grpo = source.Grpo.Clone();
        overrides.GetSection(GrpoOptions.SectionName).Bind(grpo);
        OptionsBinding.Validate(grpo, GrpoOptions.SectionName);
        var run = source.Run.Clone();
        overrides.GetSection(RunOptions.Section).Bind(run);
        OptionsBinding.Validate(run, RunOptions.Section);
        return source with { Grpo = grpo, Run = run };
    }

    /// <summary>How many recorded steps lie before <paramref name="version"/>: the replay continues after the step that produced it.</summary>
    static int StartStep(IReadOnlyList<TrainingStepRecord> record, int version, Guid sourceRunId)
    {
        if (version == 0) return 0;
        for (int i = 0; i < record.Count; i++)
            if (record[i].PolicyVersion == version) return i + 1;
        throw new ArgumentException($"run {sourceRunId} has no policy version {version}");
    }

    async Task<GrpoTrainer> StartingTrainerAsync(Run source, RunSettings settings, int version, CancellationToken cancellationToken)
    {
        var basePolicy = settings.Run.BasePolicy;
        if (!Checkpoint.Exists(basePolicy))
            throw new FileNotFoundException($"the source run's base policy '{basePolicy}' is not a checkpoint directory any more");
        var baseSha = Checkpoint.Sha256Of(basePolicy);
        if (source.BasePolicySha256 is { } recordedSha && recordedSha != baseSha)
            throw new InvalidDataException($"the base policy at '{basePolicy}' has SHA-256 {baseSha}, but run {source.Id} started from {recordedSha}");

        if (version == 0) return RecordedTrainer.New(Checkpoint.Load(basePolicy, baseSha, placement.Value.TrainingPrecision(settings.Grpo.Precision)), settings, placement.Value, baseSha);
        var published = await versions.GetAsync(source.Id, version, cancellationToken)
            ?? throw new ArgumentException($"run {source.Id} has no policy version {version}");
        return RecordedTrainer.AtVersion(published, settings, placement.Value, baseSha);
    }

    /// <summary>The step's groups in the recorded order, with a saved re-scoring's scores when one is named.</summary>
    async Task<IReadOnlyList<RolloutGroupScored>> GroupsOfAsync(Guid sourceRunId, TrainingStepRecord step, long? revisionId, CancellationToken cancellationToken)
    {
        var stored = (await groups.ReadBatchAsync(sourceRunId, step.BatchId, cancellationToken)).ToDictionary(g => (g.Group.BatchId, g.Group.PromptId));
        var rescored = revisionId is { } id ? await revisions.ReadBatchAsync(id, step.BatchId, cancellationToken) : null;
        return step.Groups.Select(key =>
        {
            var group = stored.TryGetValue(key, out var found) ? found.Group
                : throw new InvalidDataException($"run {sourceRunId} records group (batch {key.Batch}, prompt {key.Prompt}) at step {step.Step}, but the group is not stored");
            if (rescored is null) return group;
            return group with
            {
                Scores = group.Scores.Select(s => rescored.TryGetValue((group.PromptId, s.Index), out var score) ? score : s).ToArray(),
            };
        }).ToArray();
    }
}

using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts;
using Pipeline.Data.Entities;
using Pipeline.Data.Stores;
using Pipeline.Hosting;
using Pipeline.Learner.Consumers;
using Pipeline.Learner.Replay;
using Pipeline.Learner.Runs;
using Pipeline.Policy;
using Pipeline.Policy.Checkpoints;
using Pipeline.Verifier.Consumers;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Pipeline.Orchestration.Chaos;

/// <summary>
/// The end checks of a chaos run, made from what the database, the broker, the checkpoint store and the host hold —
/// never from what the services said: the run completed; every (batch, prompt) the deterministic
/// <see cref="PromptFeed"/> dispatches is stored exactly once and nothing else is; the training-step record consumed
/// every batch exactly once in steps 1…N and no group twice; policy versions 0…N are each recorded once, produced in
/// step order, each with the SHA-256 of its checkpoint file; every queue of the pipeline, its <c>_error</c> and
/// <c>_skipped</c> queues included, is empty; no sandbox process, cgroup or staging file of the run's verifiers and
/// no half-written checkpoint is left; and <c>replay train</c> of the run reproduces every version's hash.
/// </summary>
public static class ChaosChecks
{
    /// <summary>The pipeline's durable queues: the two the contract names, and those named after their consumers.</summary>
    public static IReadOnlyList<string> Queues { get; } =
    [
        Contracts.Queues.StartRun,
        Contracts.Queues.GenerateRollouts,
        KebabCaseEndpointNameFormatter.Instance.Consumer<RolloutGroupGeneratedConsumer>(),
        KebabCaseEndpointNameFormatter.Instance.Consumer<RolloutGroupScoredConsumer>(),
        KebabCaseEndpointNameFormatter.Instance.Consumer<RunFaultConsumer>(),
    ];

    /// <param name="serviceIds">every process id the run's services had: their sandboxes are named after them</param>
    /// <param name="deadBefore">each error or skipped queue's messages before the run (<see cref="CountQueuesAsync"/>):
    /// only what the run adds counts against it, so that a broker other runs or tests have used can be checked</param>
    public static async Task<ChaosFindings> RunAsync(IConfiguration configuration, Guid runId, IReadOnlyCollection<int> serviceIds,
        IReadOnlyDictionary<string, long> deadBefore, Action<string> note, CancellationToken cancellation)
    {
        var failed = new List<string>();
        await using var storage = StorageServices.Build(configuration);
        var summary = await storage.GetRequiredService<RunSummaryQuery>().GetAsync(runId, cancellation)
            ?? throw new InvalidOperationException($"run {runId} is not in the database");
        var settings = RunSettings.FromJson(summary.Run.ConfigJson);
        var status = summary.Run.Status.ToString().ToLowerInvariant();
        if (summary.Run.Status != RunStatus.Completed) failed.Add($"run_completed ({status}{(summary.Run.Error is null ? "" : $": {summary.Run.Error}")})");

        var groups = new List<(int Batch, int Prompt)>();
        await foreach (var group in storage.GetRequiredService<ScoredGroupStore>().ReadRunAsync(runId, cancellation))
        {
            groups.Add((group.Group.BatchId, group.Group.PromptId));
            if (group.Group.Completions.Count != settings.Run.GroupSize || group.Group.Scores.Count != settings.Run.GroupSize)
                failed.Add($"group_complete (batch {group.Group.BatchId}, prompt {group.Group.PromptId})");
        }
        var expected = Expected(settings);
        int stored = groups.Distinct().Count(expected.Contains);
        int lost = expected.Count(g => !groups.Contains(g));
        if (lost > 0) failed.Add($"groups_lost ({lost})");
        if (groups.Count != groups.Distinct().Count()) failed.Add("groups_stored_once");
        if (groups.Any(g => !expected.Contains(g))) failed.Add("groups_expected_only");

        var steps = await storage.GetRequiredService<TrainingStepStore>().ListAsync(runId, cancellation);
        var consumed = steps.SelectMany(s => s.Groups).ToArray();
        int trainedTwice = consumed.GroupBy(g => g).Count(g => g.Count() > 1);
        if (trainedTwice > 0) failed.Add($"groups_trained_twice ({trainedTwice})");
        if (!steps.Select(s => s.Step).SequenceEqual(Enumerable.Range(1, steps.Count))
            || !steps.Select(s => s.BatchId).Order().SequenceEqual(Enumerable.Range(0, settings.Run.Steps)))
            failed.Add("batches_consumed_once");
        if (consumed.Distinct().Count() != groups.Count) failed.Add("groups_consumed");

        var versions = await storage.GetRequiredService<PolicyVersionStore>().ListAsync(runId, cancellation);
        bool inOrder = VersionsInOrder(versions, steps);
        if (!inOrder) failed.Add("versions_in_order");
        var badHashes = versions.Where(v => !HashMatches(v)).Select(v => v.Version).ToArray();
        if (badHashes.Length > 0) failed.Add($"checkpoint_hashes (versions {string.Join(", ", badHashes)})");

        var (waiting, dead) = await CountQueuesAsync(configuration, cancellation);
        if (waiting > 0) failed.Add($"queues_empty ({waiting} messages)");
        var added = dead.Select(q => (Queue: q.Key, Added: q.Value - deadBefore.GetValueOrDefault(q.Key), Before: deadBefore.GetValueOrDefault(q.Key)))
            .Where(q => q.Added > 0).ToArray();
        long errors = added.Sum(q => q.Added);
        if (errors > 0)
        {
            var described = new List<string>();
            foreach (var (queue, count, before) in added)
                described.Add($"{queue}: {count} new, " + (before == 0
                    ? $"the first: {await FaultOfFirstAsync(configuration, queue, cancellation)}"
                    : $"after {before} that were there before the run"));
            failed.Add($"error_queues_empty ({string.Join("; ", described)})");
        }

        foreach (var leftover in SandboxLeftovers(serviceIds).Concat(StagingLeftovers(settings, runId)))
            failed.Add($"nothing_left_behind ({leftover})");

        bool identical = false;
        if (summary.Run.Status == RunStatus.Completed)
        {
            note($"replaying run {runId} ({steps.Count} steps) to compare every version's hash");
            identical = await ReplayIdenticalAsync(configuration, runId, cancellation);
        }
        if (!identical) failed.Add("replay_identical");

        return new ChaosFindings
        {
            Status = status,
            GroupsExpected = expected.Count,
            GroupsStored = stored,
            GroupsTrainedTwice = trainedTwice,
            GroupsLost = lost,
            Versions = versions.Count == 0 ? 0 : versions[^1].Version,
            VersionsInOrder = inOrder,
            ErrorQueueMessages = errors,
            ReplayIdentical = identical,
            Failed = failed.Distinct().ToArray(),
        };
    }

    /// <summary>Every (batch, prompt) the learner dispatches for the run: the deterministic prompt feed.</summary>
    static HashSet<(int Batch, int Prompt)> Expected(RunSettings settings)
    {
        var feed = new PromptFeed(TaskSources.For(settings), settings.Run.Seed, settings.Run.PromptsPerBatch);
        return Enumerable.Range(0, settings.Run.Steps).SelectMany(b => feed.Batch(b).Select(p => (b, p.PromptId))).ToHashSet();
    }

    /// <summary>Versions 0…N each recorded once, and the steps that produced versions produced 1…N in step order, each
    /// with the hash recorded for its version.</summary>
    static bool VersionsInOrder(IReadOnlyList<PolicyVersion> versions, IReadOnlyList<TrainingStepRecord> steps)
    {
        if (!versions.Select(v => v.Version).SequenceEqual(Enumerable.Range(0, versions.Count))) return false;
        var produced = steps.Where(s => s.PolicyVersion is not null).ToArray();
        if (!produced.Select(s => s.PolicyVersion!.Value).SequenceEqual(Enumerable.Range(1, produced.Length))) return false;
        if (produced.Length != versions.Count - 1) return false;
        return produced.All(s => s.CheckpointSha256 == versions[s.PolicyVersion!.Value].Sha256);
    }

    static bool HashMatches(PolicyVersion version)
    {
        var directory = CheckpointUris.ToPath(version.CheckpointUri);
        return Checkpoint.FormatOf(directory) is { } format
            && Checkpoint.Sha256(Path.Combine(directory, Checkpoint.WeightsFileOf(format))) == version.Sha256;
    }

    /// <summary>Messages waiting in the pipeline's queues, and in each of their <c>_error</c> and <c>_skipped</c>
    /// queues that holds any (a queue that does not exist holds none).</summary>
    internal static async Task<(long Waiting, IReadOnlyDictionary<string, long> Dead)> CountQueuesAsync(IConfiguration configuration, CancellationToken cancellation)
    {
        await using var connection = await ConnectAsync(configuration, cancellation);
        long waiting = 0;
        var dead = new Dictionary<string, long>();
        foreach (var queue in Queues)
        {
            waiting += await MessagesAsync(connection, queue, cancellation);
            foreach (var name in new[] { queue + "_error", queue + "_skipped" })
                if (await MessagesAsync(connection, name, cancellation) is > 0 and var count)
                    dead[name] = count;
        }
        return (waiting, dead);
    }

    static async Task<IConnection> ConnectAsync(IConfiguration configuration, CancellationToken cancellation)
    {
        var options = OptionsBinding.Bind<RabbitMqOptions>(configuration, RabbitMqOptions.Section);
        var factory = new ConnectionFactory
        {
            HostName = options.Host!,
            Port = options.Port,
            VirtualHost = options.VirtualHost,
            UserName = options.Username ?? ConnectionFactory.DefaultUser,
            Password = options.Password ?? ConnectionFactory.DefaultPass,
        };
        return await factory.CreateConnectionAsync(cancellation);
    }

    /// <summary>Why MassTransit moved the queue's first message there (its <c>MT-Fault-ExceptionType</c> and
    /// <c>MT-Fault-Message</c> headers), read without taking the message off the queue.</summary>
    static async Task<string> FaultOfFirstAsync(IConfiguration configuration, string queue, CancellationToken cancellation)
    {
        await using var connection = await ConnectAsync(configuration, cancellation);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellation);
        var message = await channel.BasicGetAsync(queue, autoAck: false, cancellation);
        if (message is null) return "(gone)";
        await channel.BasicNackAsync(message.DeliveryTag, multiple: false, requeue: true, cancellation);
        string Header(string name) => message.BasicProperties.Headers?.TryGetValue(name, out var value) == true
            ? value is byte[] bytes ? System.Text.Encoding.UTF8.GetString(bytes) : value?.ToString() ?? ""
            : "";
        var type = Header("MT-Fault-ExceptionType");
        return type.Length == 0 ? $"no fault headers (a {(queue.EndsWith("_skipped") ? "skipped" : "faulted")} {message.BasicProperties.Type ?? "message"})" : $"{type}: {Header("MT-Fault-Message")}";
    }

    static async Task<long> MessagesAsync(IConnection connection, string queue, CancellationToken cancellation)
    {
        // A passive declare of a missing queue closes its channel: one channel per queue.
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellation);
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue, cancellation)).MessageCount;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            return 0;
        }
    }

    /// <summary>Sandboxed programs (bwrap) still running in a sandbox cgroup of one of the services, the cgroups
    /// themselves (<c>/sys/fs/cgroup/{memory,pids}/…/pipeline-sandbox-PID-N</c>, see <c>SandboxCgroups</c>) and the
    /// seccomp filter files (<c>$TMPDIR/pipeline-seccomp-PID-….bpf</c>, see <c>Sandbox</c>) of the services' processes.</summary>
    static IEnumerable<string> SandboxLeftovers(IReadOnlyCollection<int> serviceIds)
    {
        var prefixes = serviceIds.Select(id => $"pipeline-sandbox-{id}-").ToArray();
        foreach (var proc in SafeDirectories("/proc", "*"))
        {
            if (!int.TryParse(Path.GetFileName(proc), out var pid)) continue;
            var comm = SafeRead(Path.Combine(proc, "comm"))?.Trim();
            if (comm != "bwrap") continue;
            var cgroup = SafeRead(Path.Combine(proc, "cgroup")) ?? "";
            if (prefixes.Any(p => cgroup.Contains(p, StringComparison.Ordinal))) yield return $"bwrap process {pid}";
        }
        foreach (var controller in new[] { "memory", "pids" })
            foreach (var group in CgroupsBelow(Path.Combine("/sys/fs/cgroup", controller), depth: 4))
                if (prefixes.Any(p => Path.GetFileName(group).StartsWith(p, StringComparison.Ordinal))) yield return $"cgroup {group}";
        foreach (var id in serviceIds)
            foreach (var file in SafeFiles(Path.GetTempPath(), $"pipeline-seccomp-{id}-*.bpf"))
                yield return $"seccomp filter {file}";
    }

    /// <summary>Half-written checkpoints (<c>Checkpoint.Save</c>'s <c>.vNNNNN.….partial</c> directories) in the run's
    /// checkpoint directory.</summary>
    static IEnumerable<string> StagingLeftovers(RunSettings settings, Guid runId) =>
        SafeDirectories(Path.Combine(settings.Run.CheckpointDirectory, runId.ToString()), ".*.partial").Select(d => $"staging directory {d}");

    static IEnumerable<string> CgroupsBelow(string directory, int depth)
    {
        if (depth == 0) yield break;
        foreach (var child in SafeDirectories(directory, "*"))
        {
            if (Path.GetFileName(child).StartsWith("pipeline-sandbox-", StringComparison.Ordinal)) yield return child;
            else foreach (var deeper in CgroupsBelow(child, depth - 1)) yield return deeper;
        }
    }

    static string[] SafeDirectories(string directory, string pattern)
    {
        try { return Directory.Exists(directory) ? Directory.GetDirectories(directory, pattern) : []; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return []; }
    }

    static string[] SafeFiles(string directory, string pattern)
    {
        try { return Directory.Exists(directory) ? Directory.GetFiles(directory, pattern) : []; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return []; }
    }

    static string? SafeRead(string file)
    {
        try { return File.ReadAllText(file); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary><c>pipeline replay train RUN</c>'s code path: identical when every version it writes has the run's hash.
    /// The services trained on one libtorch thread, as their run's settings record, and the replay takes that count.</summary>
    static async Task<bool> ReplayIdenticalAsync(IConfiguration configuration, Guid runId, CancellationToken cancellation)
    {
        await using var services = await ReplayServices.OpenAsync(configuration, cancellation);
        var result = await services.GetRequiredService<ReplayTrainer>()
            .RunAsync(new ReplayRequest(runId, new ConfigurationBuilder().Build()), null, cancellation);
        return result.Identical;
    }
}

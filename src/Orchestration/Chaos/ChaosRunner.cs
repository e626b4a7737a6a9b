using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Data;
using Pipeline.Data.Entities;
using Pipeline.Data.Stores;
using Pipeline.Learner.Runs;

namespace Pipeline.Orchestration.Chaos;

/// <summary>
/// <c>pipeline chaos</c>: starts the learners, rollout workers and verifiers as processes on the configured RabbitMQ
/// and PostgreSQL, starts one training run on them, injects the seeded <see cref="ChaosPlan"/> while the run goes on
/// (SIGKILL and restart, SIGSTOP and SIGCONT, the broker's and the database's restart commands), waits for the run to
/// end and for the queues to drain, stops the services and makes <see cref="ChaosChecks"/>. The learners train on one
/// libtorch thread each, so that the replay check reproduces their hashes.
/// </summary>
public sealed class ChaosRunner(IConfiguration configuration, ChaosOptions options, IChaosObserver observer)
{
    static readonly string[] PassedOn = ["RabbitMq:", "Storage:", "Hangfire:", "Learner:", "Rollout:", "Verifier:", "Sandbox:", "Host:"];
    static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(15);
    static readonly TimeSpan DrainLimit = TimeSpan.FromMinutes(3);

    readonly Stopwatch _clock = new();
    readonly ConcurrentQueue<ChaosFaultRecord> _injected = new();

    /// <summary>One server restart at a time: restart scripts such as infra/services.sh lock their state, and a
    /// second restart that starts while the first (slow on a busy host) still runs would fail, not wait.</summary>
    readonly SemaphoreSlim _serverRestarts = new(1, 1);
    readonly ConcurrentQueue<string> _problems = new();
    volatile RunSummary? _latest;

    double Now => Math.Round(_clock.Elapsed.TotalSeconds, 1);

    public async Task<ChaosResult> RunAsync(RunSettings settings, CancellationToken cancellation)
    {
        options.Validate();
        var plan = ChaosPlan.Create(options);
        await using (var database = StorageServices.Build(configuration))
            await database.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellation);
        var (_, deadBefore) = await ChaosChecks.CountQueuesAsync(configuration, cancellation);

        using var services = new ServiceProcesses(options.LogDirectory, ServiceEnvironment(), options.BinDirectory);
        for (int i = 0; i < options.Learners; i++) services.Start("Learner", i);
        for (int i = 0; i < options.Rollouts; i++) services.Start("Rollout", i);
        for (int i = 0; i < options.Verifiers; i++) services.Start("Verifier", i);
        observer.Note($"started {options.Learners} learners, {options.Rollouts} rollout workers and {options.Verifiers} verifiers (logs in {options.LogDirectory})");

        var runId = await RemoteRun.StartAsync(configuration, settings, cancellation);
        var started = await RemoteRun.WaitStartedAsync(configuration, runId, TimeSpan.FromMinutes(5), cancellation)
            ?? throw new InvalidOperationException($"no learner took run {runId} up within 5 minutes (logs in {options.LogDirectory})");
        _clock.Start();
        observer.Note($"run {runId} started: {settings.Run.Steps} steps of {settings.Run.PromptsPerBatch} prompts; {plan.Count} faults planned within {options.Minutes:0.#} min (seed {options.Seed})");

        using var stopProgress = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var progress = FollowAsync(runId, stopProgress.Token);
        await InjectAsync(plan, services, cancellation);

        await WaitForEndAsync(runId, cancellation);
        await stopProgress.CancelAsync();
        await progress;
        await DrainAsync(cancellation);
        observer.Note("stopping the services");
        await services.StopAllAsync(TimeSpan.FromSeconds(30));

        var findings = await ChaosChecks.RunAsync(configuration, runId, services.StartedIds, deadBefore, observer.Note, cancellation);
        var failed = _problems.Concat(findings.Failed).ToArray();
        var report = ChaosReport.From(options.Seed, _injected.OrderBy(f => f.AtSeconds).ToArray(), findings) with { Passed = failed.Length == 0 };
        return new ChaosResult(runId, report, failed);
    }

    /// <summary>Runs the plan on the clock; every target that goes down comes back (the tasks this awaits at the end).
    /// Once the run has ended, the faults still planned are skipped: they would test nothing.</summary>
    async Task InjectAsync(IReadOnlyList<ChaosFault> plan, ServiceProcesses services, CancellationToken cancellation)
    {
        var comebacks = new List<Task>();
        foreach (var fault in plan)
        {
            var wait = TimeSpan.FromSeconds(fault.AtSeconds) - _clock.Elapsed;
            if (wait > TimeSpan.Zero) await Task.Delay(wait, cancellation);
            if (_latest is { } latest && latest.Run.Status != RunStatus.Running)
            {
                observer.Note($"the run ended ({latest.Run.Status.ToString().ToLowerInvariant()}) before the fault planned at {fault.AtSeconds:0.0} s: the rest of the plan is skipped");
                break;
            }
            if (fault.Kind is ChaosFault.BrokerRestart or ChaosFault.DatabaseRestart)
            {
                comebacks.Add(RestartServerAsync(fault, cancellation));
                continue;
            }
            var record = new ChaosFaultRecord(Now, fault.Kind, fault.Target);
            _injected.Enqueue(record);
            switch (fault.Kind)
            {
                case ChaosFault.Kill:
                    services.Kill(fault.Target);
                    observer.Fault(record.AtSeconds, record, $"SIGKILL; restart in {fault.Seconds:0.0} s");
                    comebacks.Add(AfterAsync(fault.Seconds, () =>
                    {
                        services.Restart(fault.Target);
                        observer.Fault(Now, record, "restarted");
                        return Task.CompletedTask;
                    }, cancellation));
                    break;
                case ChaosFault.Pause:
                    await services.PauseAsync(fault.Target);
                    observer.Fault(record.AtSeconds, record, $"SIGSTOP; SIGCONT in {fault.Seconds:0.0} s");
                    comebacks.Add(AfterAsync(fault.Seconds, async () =>
                    {
                        await services.ResumeAsync(fault.Target);
                        observer.Fault(Now, record, "continued (SIGCONT)");
                    }, cancellation));
                    break;
                default:
                    throw new InvalidOperationException($"unknown fault kind {fault.Kind}");
            }
        }
        await Task.WhenAll(comebacks);
    }

    static async Task AfterAsync(double seconds, Func<Task> action, CancellationToken cancellation)
    {
        await Task.Delay(TimeSpan.FromSeconds(seconds), cancellation);
        await action();
    }

    /// <summary>Runs the broker's or the database's restart command once the previous server restart has finished; the
    /// fault is recorded when its command starts.</summary>
    async Task RestartServerAsync(ChaosFault fault, CancellationToken cancellation)
    {
        var command = fault.Kind == ChaosFault.BrokerRestart ? options.BrokerRestart! : options.DatabaseRestart!;
        await _serverRestarts.WaitAsync(cancellation);
        try
        {
            var record = new ChaosFaultRecord(Now, fault.Kind, fault.Target);
            _injected.Enqueue(record);
            observer.Fault(record.AtSeconds, record, $"restarting: {command}");
            await RunCommandAsync(record, command, cancellation);
        }
        finally
        {
            _serverRestarts.Release();
        }
    }

    async Task RunCommandAsync(ChaosFaultRecord record, string command, CancellationToken cancellation)
    {
        var start = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not run {command}");
        var output = process.StandardOutput.ReadToEndAsync(cancellation);
        var error = process.StandardError.ReadToEndAsync(cancellation);
        await process.WaitForExitAsync(cancellation);
        Directory.CreateDirectory(options.LogDirectory);
        await File.AppendAllTextAsync(Path.Combine(options.LogDirectory, $"{record.Kind}.log"), $"$ {command}\n{await output}{await error}", cancellation);
        if (process.ExitCode == 0)
        {
            observer.Fault(Now, record, "back");
        }
        else
        {
            _problems.Enqueue($"fault_command ({record.Kind}: `{command}` exited with {process.ExitCode})");
            observer.Fault(Now, record, $"the command exited with {process.ExitCode}: {(await error).Trim()}");
        }
    }

    /// <summary>Polls the run every few seconds for the progress lines and the fault loop; a poll that fails (the
    /// database is restarting) is skipped.</summary>
    async Task FollowAsync(Guid runId, CancellationToken cancellation)
    {
        await using var storage = StorageServices.Build(configuration);
        var query = storage.GetRequiredService<RunSummaryQuery>();
        while (!cancellation.IsCancellationRequested)
        {
            try
            {
                if (await query.GetAsync(runId, cancellation) is { } summary)
                {
                    _latest = summary;
                    observer.Progress(_clock.Elapsed.TotalSeconds, summary);
                }
                await Task.Delay(ProgressEvery, cancellation);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                observer.Note($"progress poll failed ({e.GetType().Name}); trying again");
                await Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None);
            }
        }
    }

    /// <summary>Waits for the run to end (completed with its final evaluation stored, or failed); a run still running
    /// after the timeout is left to the checks, which fail it.</summary>
    async Task WaitForEndAsync(Guid runId, CancellationToken cancellation)
    {
        observer.Note($"fault window over after {_clock.Elapsed.TotalSeconds:0} s; waiting up to {options.TimeoutMinutes:0.#} min for the run to end");
        try
        {
            var summary = await RemoteRun.WaitAsync(configuration, runId, TimeSpan.FromMinutes(options.TimeoutMinutes), _ => { }, cancellation);
            observer.Note($"run {summary.Run.Status.ToString().ToLowerInvariant()} after {_clock.Elapsed.TotalSeconds:0} s");
        }
        catch (TimeoutException e)
        {
            observer.Note(e.Message);
        }
    }

    /// <summary>Waits while the services still run until no message waits in the pipeline's queues (a duplicate a
    /// redelivery left behind is consumed and ignored), so that the checks see what stopping left.</summary>
    async Task DrainAsync(CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow + DrainLimit;
        while (DateTime.UtcNow < deadline)
        {
            var (waiting, _) = await ChaosChecks.CountQueuesAsync(configuration, cancellation);
            if (waiting == 0) return;
            await Task.Delay(TimeSpan.FromSeconds(2), cancellation);
        }
    }

    /// <summary>The settings each service gets beyond this program's environment (which it inherits): the
    /// connection and service sections of the configuration files and <c>--set</c>, one libtorch thread, quiet logs.</summary>
    Dictionary<string, string> ServiceEnvironment()
    {
        var environment = configuration.AsEnumerable()
            .Where(kv => kv.Value is not null && PassedOn.Any(p => kv.Key.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            .ToDictionary(kv => kv.Key.Replace(":", "__"), kv => kv.Value!);
        environment["Learner__TorchThreads"] = "1";
        environment.TryAdd("Rollout__TorchThreads", "1");
        environment.TryAdd("Host__ShutdownSeconds", "5");
        environment.TryAdd("Logging__LogLevel__Default", "Warning");
        environment.TryAdd("Logging__LogLevel__Pipeline", "Information");
        environment.TryAdd("Logging__LogLevel__Microsoft.Hosting.Lifetime", "Information");
        return environment;
    }
}

using System.ComponentModel;
using System.Diagnostics;

namespace Pipeline.Sandboxing;

/// <summary>Sandboxed runs per second of a trivial program against bare interpreter starts per second, both at the
/// sandbox's <see cref="SandboxOptions.MaxParallelRuns"/> and both with the same flags (-I -S -B), stdio pipes and
/// async waits, so the ratio is the sandbox's own overhead.</summary>
public sealed record SandboxBenchmarkResult(
    int Runs,
    int Parallelism,
    double SandboxedRunsPerSecond,
    double BareRunsPerSecond,
    string PythonCommand,
    string Isolation)
{
    /// <summary>Time of one sandboxed run ÷ time of one bare start (target: at most 3).</summary>
    public double OverheadRatio => BareRunsPerSecond / SandboxedRunsPerSecond;
}

public static class SandboxBenchmark
{
    const string Trivial = "pass";
    const int Rounds = 4;

    /// <summary>Measures <paramref name="runs"/> runs of each kind after a short warm-up, in interleaved rounds. Throws if any run does not
    /// exit cleanly: a benchmark of failing runs would measure nothing.</summary>
    public static async Task<SandboxBenchmarkResult> RunAsync(
        Sandbox sandbox, int runs = 400, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        var options = sandbox.Options;
        var parallelism = options.MaxParallelRuns;
        string[] bareArguments = [.. SandboxCommand.PythonFlags, "-c", Trivial];

        async Task Sandboxed()
        {
            var run = await sandbox.RunPythonAsync(["-c", Trivial], ReadOnlyMemory<byte>.Empty, cancellationToken);
            if (run.Termination != SandboxTermination.Exited || run.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"A sandboxed benchmark run failed ({run.Termination}, exit {run.ExitCode}): {run.StartError}{run.StderrText}");
            }
        }

        Task Bare() => RunBareAsync(options.PythonPath, bareArguments, cancellationToken);

        await Measure(Math.Min(runs, 2 * parallelism), parallelism, Sandboxed);
        await Measure(Math.Min(runs, 2 * parallelism), parallelism, Bare);

        // Interleaved rounds, the order swapped every round, so a drift in the machine's load (it is shared) falls on
        // both kinds alike instead of on whichever ran second.
        var rounds = Math.Min(Rounds, runs);
        var sandboxed = TimeSpan.Zero;
        var bare = TimeSpan.Zero;
        for (var round = 0; round < rounds; round++)
        {
            var share = runs / rounds + (round < runs % rounds ? 1 : 0);
            if (round % 2 == 0)
            {
                sandboxed += await Measure(share, parallelism, Sandboxed);
                bare += await Measure(share, parallelism, Bare);
            }
            else
            {
                bare += await Measure(share, parallelism, Bare);
                sandboxed += await Measure(share, parallelism, Sandboxed);
            }
        }
        return new SandboxBenchmarkResult(
            runs, parallelism, runs / sandboxed.TotalSeconds, runs / bare.TotalSeconds,
            $"{options.PythonPath} {string.Join(' ', bareArguments)}", sandbox.Isolation);
    }

    static async Task<TimeSpan> Measure(int runs, int parallelism, Func<Task> run)
    {
        var next = 0;
        async Task Worker()
        {
            while (Interlocked.Increment(ref next) <= runs)
            {
                await run();
            }
        }
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Math.Min(parallelism, runs)).Select(_ => Worker()));
        return clock.Elapsed;
    }

    static async Task RunBareAsync(string python, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(python)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in arguments)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new Win32Exception($"Could not start {python}.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        await Task.WhenAll(stdout, stderr);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"A bare benchmark run failed (exit {process.ExitCode}): {stderr.Result}");
        }
    }
}

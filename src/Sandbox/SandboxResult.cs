namespace Pipeline.Sandboxing;

/// <summary>How a sandboxed run ended, as the host saw it.</summary>
public enum SandboxTermination
{
    /// <summary>The sandbox exited by itself; <see cref="SandboxResult.ExitCode"/> tells how (128 + n: signal n).</summary>
    Exited,

    /// <summary>The host killed it at the wall-clock limit.</summary>
    WallTimeout,

    /// <summary>The host killed it after it wrote more than the output limit to stdout or stderr.</summary>
    OutputLimit,

    /// <summary>The sandbox could not be started at all.</summary>
    StartFailed,
}

/// <summary>What one sandboxed run produced. Output is truncated at the configured limit.</summary>
public sealed record SandboxResult
{
    public required SandboxTermination Termination { get; init; }
    public required int ExitCode { get; init; }
    public required byte[] Stdout { get; init; }
    public required byte[] Stderr { get; init; }

    /// <summary>The run's memory cgroup recorded an OOM kill (always false without cgroups).</summary>
    public required bool MemoryLimitHit { get; init; }

    public required TimeSpan Elapsed { get; init; }

    /// <summary>Why the sandbox could not start (only for <see cref="SandboxTermination.StartFailed"/>).</summary>
    public string? StartError { get; init; }

    public string StdoutText => System.Text.Encoding.UTF8.GetString(Stdout);
    public string StderrText => System.Text.Encoding.UTF8.GetString(Stderr);
}

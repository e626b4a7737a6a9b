using System.ComponentModel.DataAnnotations;

namespace Pipeline.Sandboxing;

/// <summary>Limits of one sandboxed program run (configuration section "Sandbox"). Every limit applies to a single
/// run; <see cref="MaxParallelRuns"/> bounds how many runs exist at once.</summary>
public sealed class SandboxOptions
{
    public const string SectionName = "Sandbox";

    /// <summary>After the sandbox could not be established, how long until the next request tries again (a missing
    /// package installed, a cgroup fixed) instead of the failure being remembered for the life of the process.</summary>
    [Range(0, 86400)]
    public double RetrySeconds { get; set; } = 30;

    /// <summary>CPU seconds per process (RLIMIT_CPU soft limit; SIGKILL one second later).</summary>
    [Range(1, 600)]
    public int CpuSeconds { get; set; } = 2;

    /// <summary>Wall-clock seconds after which the host kills the whole sandbox.</summary>
    [Range(0.1, 600.0)]
    public double WallSeconds { get; set; } = 5;

    /// <summary>Memory per process (RLIMIT_AS) and, where cgroup v1 is writable, for the whole run (plus the tmpfs).</summary>
    [Range(32, 65536)]
    public int MemoryMb { get; set; } = 256;

    /// <summary>Processes and threads per run: cgroup v1 pids.max where writable; otherwise RLIMIT_NPROC, which
    /// counts all processes of <see cref="Uid"/> on the host (give the sandbox a uid nothing else uses then).</summary>
    [Range(4, 4096)]
    public int MaxProcesses { get; set; } = 32;

    /// <summary>Open file descriptors per process (RLIMIT_NOFILE).</summary>
    [Range(16, 65536)]
    public int MaxOpenFiles { get; set; } = 64;

    /// <summary>Bytes read from stdout, and separately from stderr, before the run is killed as an output-limit.</summary>
    [Range(1024, 1 << 30)]
    public int MaxOutputBytes { get; set; } = 1 << 20;

    /// <summary>Size of the private tmpfs that is the run's working directory and only writable place; also the
    /// largest file a run may write (RLIMIT_FSIZE).</summary>
    [Range(1, 4096)]
    public int TmpfsMb { get; set; } = 16;

    /// <summary>Runs at once across the whole verifier process.</summary>
    [Range(1, 1024)]
    public int MaxParallelRuns { get; set; } = Environment.ProcessorCount;

    /// <summary>Unprivileged uid the program runs as when the verifier runs as root (65534 is "nobody").</summary>
    [Range(1, int.MaxValue)]
    public int Uid { get; set; } = 65534;

    /// <summary>Unprivileged gid the program runs as when the verifier runs as root (65534 is "nogroup").</summary>
    [Range(1, int.MaxValue)]
    public int Gid { get; set; } = 65534;

    /// <summary>The interpreter, an absolute path inside /usr (only /usr is visible in the sandbox).</summary>
    [Required]
    [RegularExpression("^/usr/.+", ErrorMessage = "PythonPath must be an absolute path under /usr: only /usr is mounted in the sandbox.")]
    public string PythonPath { get; set; } = "/usr/bin/python3";

    /// <summary>bubblewrap: a bare name is looked up on PATH.</summary>
    [Required]
    public string BubblewrapPath { get; set; } = "bwrap";

    /// <summary>Use per-run cgroup v1 memory and pids groups when the hierarchy is writable; rlimits apply either way.</summary>
    public bool UseCgroups { get; set; } = true;

    /// <summary>Run every program under <see cref="SandboxSeccomp"/>'s filter (x86-64). On by default; switch it off
    /// only on a host whose kernel refuses seccomp filters (the probe then says so), and the isolation line says it.</summary>
    public bool UseSeccomp { get; set; } = true;

    /// <summary>Where a code completion's stdin tests run: in a long-lived sandbox session that judges one completion
    /// after another (the default), all in one sandbox of the completion's own, or each in a sandbox of its own; in
    /// every case each test is a process of its own with its own limits.</summary>
    [EnumDataType(typeof(StdinTestsPerSandbox))]
    public StdinTestsPerSandbox StdinTestsPerSandbox { get; set; } = StdinTestsPerSandbox.Session;

    internal SandboxOptions Clone() => (SandboxOptions)MemberwiseClone();

    /// <summary>Throws <see cref="ValidationException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true))
        {
            var first = results[0];
            throw new ValidationException(
                $"{SectionName}:{string.Join(",", first.MemberNames)}: {first.ErrorMessage}");
        }
    }
}

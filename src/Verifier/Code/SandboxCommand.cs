namespace Pipeline.Verifier.Code;

/// <summary>The absolute paths of the programs a sandboxed run is started through.</summary>
internal sealed record SandboxTools(string Shell, string Prlimit, string? Setpriv, string Bubblewrap)
{
    /// <summary>Finds the tools, or returns null with what is missing.</summary>
    public static SandboxTools? Resolve(SandboxOptions options, bool dropPrivileges, out string why)
    {
        var bwrap = Find(options.BubblewrapPath);
        var prlimit = Find("prlimit");
        var setpriv = dropPrivileges ? Find("setpriv") : null;
        var shell = Find("/bin/sh");
        why = bwrap is null ? $"bubblewrap not found at '{options.BubblewrapPath}' (apt-get install bubblewrap)"
            : prlimit is null ? "prlimit not found (util-linux)"
            : dropPrivileges && setpriv is null ? "setpriv not found (util-linux); it is needed to drop root before bwrap"
            : shell is null ? "/bin/sh not found"
            : "";
        return why.Length == 0 ? new SandboxTools(shell!, prlimit!, setpriv, bwrap!) : null;
    }

    private static string? Find(string name)
    {
        if (name.Contains('/'))
        {
            return File.Exists(name) ? name : null;
        }
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin").Append("/bin")
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
    }
}

/// <summary>Builds the command line of one run:
/// <c>sh (join cgroups) → prlimit (rlimits) → setpriv (drop root) → bwrap (namespaces, mounts) → sh (pid 1) →
/// python3 -I -S -B</c>.
/// Each stage execs the next, so the host's child pid is bwrap's, and killing it takes the sandbox with it
/// (<c>--die-with-parent</c> kills the sandbox's pid 1, and the kernel then kills the whole pid namespace).</summary>
internal static class SandboxCommand
{
    private const long MiB = 1024 * 1024;

    // Joins the slot's cgroups as root, before anything untrusted exists, then execs the rest of the command.
    private const string JoinCgroups =
        "echo $$ > \"$1\" && echo $$ > \"$2\" || { echo 'pipeline-sandbox: cannot join the run cgroups' >&2; exit 125; }; " +
        "shift 2; exec \"$@\"";

    /// <summary>Python flags for every run: -I ignores PYTHON* variables, the user site and the working directory
    /// on sys.path; -S skips importing site (a few milliseconds per start); -B writes no .pyc files.</summary>
    public static readonly string[] PythonFlags = ["-I", "-S", "-B"];

    public static List<string> Build(
        SandboxOptions options, SandboxTools tools, SandboxCgroupSlot? slot, bool dropPrivileges,
        IReadOnlyList<string> pythonArguments)
    {
        var argv = new List<string>();
        if (slot is not null)
        {
            argv.AddRange([tools.Shell, "-c", JoinCgroups, "sh", slot.MemoryProcs, slot.PidsProcs]);
        }

        argv.AddRange([
            tools.Prlimit,
            $"--cpu={options.CpuSeconds}:{options.CpuSeconds + 1}",
            $"--as={options.MemoryMb * MiB}",
            $"--nofile={options.MaxOpenFiles}",
            $"--fsize={options.TmpfsMb * MiB}",
            "--core=0",
        ]);
        if (slot is null)
        {
            // RLIMIT_NPROC counts every process of the uid on the whole host, including other services that run
            // as the same uid and the other parallel runs, and even execve fails once the count is reached. So it is
            // used only where no per-run pids cgroup exists, and then the uid should be one nothing else uses.
            argv.Add($"--nproc={options.MaxProcesses}");
        }
        argv.Add("--");

        if (dropPrivileges)
        {
            // bwrap started by root would run the program as host root; drop every id and capability first.
            argv.AddRange([
                tools.Setpriv!,
                $"--reuid={options.Uid}", $"--regid={options.Gid}", "--clear-groups",
                "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs",
                "--",
            ]);
        }

        argv.AddRange([
            tools.Bubblewrap,
            "--unshare-all", "--unshare-user", "--disable-userns",
            "--die-with-parent", "--new-session",
            // bwrap's own pid-1 reaper is never reaped by bwrap itself (it lingers as a zombie of the host's init,
            // still counted by the pids cgroup and RLIMIT_NPROC); a shell as pid 1 reaps everything it inherits,
            // and the kernel kills the whole namespace when it exits after the program.
            "--as-pid-1",
            "--hostname", "sandbox",
            "--ro-bind", "/usr", "/usr",
        ]);
        foreach (var top in new[] { "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32" })
        {
            var info = new FileInfo(top);
            if (info.LinkTarget is { } target)
            {
                argv.AddRange(["--symlink", target, top]);
            }
            else if (Directory.Exists(top))
            {
                argv.AddRange(["--ro-bind", top, top]);
            }
        }
        argv.AddRange([
            "--size", (options.TmpfsMb * MiB).ToString(), "--tmpfs", "/tmp",
            "--proc", "/proc",
            "--dev", "/dev", "--remount-ro", "/dev",
            "--remount-ro", "/",
            "--chdir", "/tmp",
            "--clearenv", "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "LANG", "C.UTF-8",
            "--setenv", "HOME", "/tmp",
            "--",
            "/bin/sh", "-c", "\"$@\"", "sh",
            options.PythonPath,
        ]);
        argv.AddRange(PythonFlags);
        argv.AddRange(pythonArguments);
        return argv;
    }
}

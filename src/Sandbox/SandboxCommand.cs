namespace Pipeline.Sandboxing;

/// <summary>The absolute paths of the programs a sandboxed run is started through.</summary>
sealed record SandboxTools(string Shell, string? Setpriv, string Bubblewrap)
{
    /// <summary>Finds the tools, or returns null with what is missing.</summary>
    public static SandboxTools? Resolve(SandboxOptions options, bool dropPrivileges, out string why)
    {
        var bwrap = Find(options.BubblewrapPath);
        var setpriv = dropPrivileges ? Find("setpriv") : null;
        var shell = Find("/bin/sh");
        why = bwrap is null ? $"bubblewrap not found at '{options.BubblewrapPath}' (apt-get install bubblewrap)"
            : dropPrivileges && setpriv is null ? "setpriv not found (util-linux); it is needed to drop root before bwrap"
            : shell is null ? "/bin/sh not found"
            : "";
        return why.Length == 0 ? new SandboxTools(shell!, setpriv, bwrap!) : null;
    }

    static string? Find(string name)
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
/// <c>sh (join cgroups, set rlimits, open the seccomp filter) → setpriv (drop root) → bwrap (namespaces, mounts,
/// seccomp) → sh (pid 1) →
/// python3 -I -S -B</c>; for a batch, a trusted runner is pid 1 itself (<c>… → bwrap → python3 -I -S -B</c>).
/// Each stage execs the next, so the host's child pid is bwrap's, and killing it takes the sandbox with it
/// (<c>--die-with-parent</c> kills the sandbox's pid 1, and the kernel then kills the whole pid namespace).</summary>
static class SandboxCommand
{
    const long MiB = 1024 * 1024;
    const string None = "-";

    /// <summary>Where a batch runner finds its run's memory.oom_control, bound read-only.</summary>
    public const string OomControlInside = "/run/memory.oom_control";

    // Runs as the verifier's user before anything untrusted exists: joins the slot's cgroups (root only), sets the
    // rlimits with the shell's own ulimit (one process fewer per run than prlimit), then execs the rest.
    // $1 $2: memory and pids cgroup.procs or "-"; $3 $4: soft and hard CPU seconds; $5: address space in KiB;
    // $6: open files; $7: file size in 512-byte blocks (POSIX sh); $8: processes of the uid or "-" (`ulimit -u` in
    // bash and busybox, `-p` in dash); $9: the seccomp filter file
    // or "-", opened as descriptor 3 for bwrap's --seccomp (bwrap reads and closes it before the program starts).
    const string JoinAndLimit =
        "if [ \"$1\" != - ]; then echo $$ > \"$1\" && echo $$ > \"$2\" || " +
        "{ echo 'pipeline-sandbox: cannot join the run cgroups' >&2; exit 125; }; fi; " +
        "ulimit -t \"$4\" && ulimit -S -t \"$3\" && ulimit -v \"$5\" && ulimit -n \"$6\" && ulimit -f \"$7\" && " +
        "ulimit -c 0 && { [ \"$8\" = - ] || ulimit -u \"$8\" 2>/dev/null || ulimit -p \"$8\"; } || " +
        "{ echo 'pipeline-sandbox: cannot set the run limits' >&2; exit 125; }; " +
        "if [ \"$9\" != - ]; then exec 3< \"$9\" || " +
        "{ echo 'pipeline-sandbox: cannot open the seccomp filter' >&2; exit 125; }; fi; " +
        "shift 9; exec \"$@\"";

    /// <summary>Python flags for every run: -I ignores PYTHON* variables, the user site and the working directory
    /// on sys.path; -S skips importing site (a few milliseconds per start); -B writes no .pyc files.</summary>
    public static readonly string[] PythonFlags = ["-I", "-S", "-B"];

    public static List<string> Build(
        SandboxOptions options, SandboxTools tools, SandboxCgroupSlot? slot, bool dropPrivileges, string? seccompFilter,
        IReadOnlyList<string> pythonArguments, bool runnerAsPidOne = false)
    {
        var argv = new List<string>
        {
            tools.Shell, "-c", JoinAndLimit, "sh",
            slot?.MemoryProcs ?? None,
            slot?.PidsProcs ?? None,
            options.CpuSeconds.ToString(),
            (options.CpuSeconds + 1).ToString(),
            (options.MemoryMb * 1024L).ToString(),
            options.MaxOpenFiles.ToString(),
            (options.TmpfsMb * MiB / 512).ToString(),
            // RLIMIT_NPROC counts every process of the uid on the whole host, including other services that run
            // as the same uid and the other parallel runs, and even execve fails once the count is reached. So it is
            // used only where no per-run pids cgroup exists, and then the uid should be one nothing else uses.
            slot is null ? options.MaxProcesses.ToString() : None,
            seccompFilter ?? None,
        };

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
            // still counted by the pids cgroup and RLIMIT_NPROC); a shell (or a batch's runner) as pid 1 reaps
            // everything it inherits, and the kernel kills the whole namespace when it exits after the program.
            "--as-pid-1",
            "--hostname", "sandbox",
        ]);
        if (seccompFilter is not null)
        {
            argv.AddRange(["--seccomp", "3"]);
        }
        argv.AddRange([
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
        ]);
        if (runnerAsPidOne && slot is not null)
        {
            // The runner tells which of its programs the cgroup OOM-killed by the count before and after each.
            argv.AddRange(["--ro-bind", slot.OomControl, OomControlInside]);
        }
        argv.AddRange([
            "--remount-ro", "/",
            "--chdir", "/tmp",
            "--clearenv", "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "LANG", "C.UTF-8",
            "--setenv", "HOME", "/tmp",
            "--",
        ]);
        if (!runnerAsPidOne)
        {
            argv.AddRange(["/bin/sh", "-c", "\"$@\"", "sh"]);
        }
        argv.Add(options.PythonPath);
        argv.AddRange(PythonFlags);
        argv.AddRange(pythonArguments);
        return argv;
    }
}

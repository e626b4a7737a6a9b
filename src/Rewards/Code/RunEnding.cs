using Pipeline.Sandboxing;
namespace Pipeline.Rewards.Code;

/// <summary>What the way a sandboxed run ended says, before its output is looked at.</summary>
static class RunEnding
{
    const int SigKill = 9;
    const int SigXcpu = 24;

    // Lines the sandbox's own tools print when they, not the program, fail. A program can print these too, which
    // only turns its failure into a sandbox-error: still no reward.
    static readonly string[] ToolPrefixes = ["bwrap: ", "setpriv: ", "pipeline-sandbox: "];

    /// <summary>The verdict the ending forces, or null when the program exited with status 0 and only its output
    /// can tell whether it passed.</summary>
    public static (CodeVerdict Verdict, string Detail)? Abnormal(SandboxResult run) => Abnormal(run, toolsInChain: true);

    /// <summary>The same for one program of a batch (<see cref="StdinBatch"/>), from how its runner saw it end. No
    /// sandbox tool stands between the runner and the program, so a "bwrap: …" line on its stderr is its own.</summary>
    public static (CodeVerdict Verdict, string Detail)? AbnormalProgram(SandboxResult program) =>
        Abnormal(program, toolsInChain: false);

    static (CodeVerdict Verdict, string Detail)? Abnormal(SandboxResult run, bool toolsInChain)
    {
        if (run.Termination == SandboxTermination.StartFailed)
        {
            return (CodeVerdict.SandboxError, run.StartError ?? "the sandbox did not start");
        }
        // An OOM kill anywhere in the run explains whatever followed (a survivor timing out, a broken pipe).
        if (run.MemoryLimitHit)
        {
            return (CodeVerdict.MemoryLimit, "out of memory (killed by the run's memory cgroup)");
        }
        switch (run.Termination)
        {
            case SandboxTermination.WallTimeout:
                return (CodeVerdict.TimeLimit, "wall-clock limit");
            case SandboxTermination.OutputLimit:
                return (CodeVerdict.OutputLimit, "output limit");
        }
        if (run.ExitCode == 0)
        {
            return null;
        }
        if (run.ExitCode is 128 + SigXcpu or 128 + SigKill)
        {
            return (CodeVerdict.TimeLimit, "CPU time limit");
        }
        var lines = run.StderrText.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var last = lines.Length > 0 ? lines[^1] : "";
        if (last.StartsWith("MemoryError", StringComparison.Ordinal))
        {
            return (CodeVerdict.MemoryLimit, "MemoryError");
        }
        if (toolsInChain && lines.Length > 0 && ToolPrefixes.Any(p => lines[0].StartsWith(p, StringComparison.Ordinal)))
        {
            return (CodeVerdict.SandboxError, Clip(lines[0]));
        }
        return (CodeVerdict.RuntimeError, run.ExitCode > 128
            ? $"killed by signal {run.ExitCode - 128}" + (last.Length > 0 ? $": {Clip(last)}" : "")
            : last.Length > 0 ? Clip(last) : $"exit code {run.ExitCode}");
    }

    static string Clip(string text) => text.Length <= 300 ? text : text[..300];
}

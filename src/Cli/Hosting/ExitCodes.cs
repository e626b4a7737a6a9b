namespace Pipeline.Cli.Hosting;

/// <summary>What <c>pipeline</c> returns; the same table is in the root command's help and in README.md.</summary>
public static class ExitCodes
{
    /// <summary>The command did its work.</summary>
    public const int Success = 0;

    /// <summary>The work failed: a run failed or timed out, a broker or database could not be reached, or a bug.</summary>
    public const int Failed = 1;

    /// <summary>Bad usage or input: an unknown option, a bad setting, a missing file, invalid input lines.</summary>
    public const int BadInput = 2;

    /// <summary>Interrupted (Ctrl-C, SIGINT or SIGTERM).</summary>
    public const int Cancelled = 130;

    public const string Help = """
        Exit codes:
          0    success
          1    the work failed: a run failed or timed out, the broker or database could not be reached, an internal error
          2    bad usage or input: unknown option, invalid setting, missing file, invalid input lines (verify)
          130  interrupted (Ctrl-C)

        Output: results on standard output; progress, notes, warnings and errors on standard error. --json FILE also
        writes the results as JSON; --json - writes the JSON alone to standard output. Errors are one line;
        PIPELINE_DEBUG=1 adds the stack trace.
        """;
}

/// <summary>A failure the command explains in one sentence (no stack trace), with the exit code to return.</summary>
public sealed class CommandFailedException(string message, int exitCode = ExitCodes.Failed, Exception? inner = null)
    : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
}

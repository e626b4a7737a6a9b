using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Pipeline.Cli.Hosting;

/// <summary>Runs a command's body and turns every failure into one line on standard error and an exit code
/// (<see cref="ExitCodes"/>): what a user can fix (a bad setting, a missing file, bad data) exits 2; a broker or
/// database that cannot be reached, a timeout, or anything else exits 1; Ctrl-C exits 130. A stack trace is shown
/// only with <c>PIPELINE_DEBUG=1</c>.</summary>
public static class CommandRunner
{
    public const string DebugVariable = "PIPELINE_DEBUG";

    public static async Task<int> RunAsync(Func<CommandContext> createContext, Func<CommandContext, Task<int>> body, CancellationToken cancellation)
    {
        CommandContext? context = null;
        try
        {
            context = createContext();
            return await body(context);
        }
        catch (Exception e)
        {
            var (exitCode, message) = Describe(e, context?.Configuration, cancellation.IsCancellationRequested);
            if (exitCode == ExitCodes.Cancelled) Terminal.Err.MarkupLine("[yellow]cancelled[/]");
            else Terminal.Err.MarkupLineInterpolated($"[red]error:[/] {message}");
            if (Debugging) Terminal.Err.WriteLine(e.ToString());
            return exitCode;
        }
    }

    static bool Debugging => Environment.GetEnvironmentVariable(DebugVariable) is { Length: > 0 } value && value != "0";

    /// <summary>The exit code and one-sentence message for a failure.</summary>
    /// <param name="configuration">the command's settings, to name the broker or database (null if they never built)</param>
    /// <param name="cancelled">whether the user interrupted the program</param>
    public static (int ExitCode, string Message) Describe(Exception e, IConfiguration? configuration, bool cancelled)
    {
        if (e is AggregateException { InnerExceptions.Count: 1 } aggregate) return Describe(aggregate.InnerExceptions[0], configuration, cancelled);
        if (cancelled && e is OperationCanceledException) return (ExitCodes.Cancelled, "cancelled");
        switch (e)
        {
            case CommandFailedException failed:
                return (failed.ExitCode, failed.Message);
            case OptionsValidationException invalid:
                return (ExitCodes.BadInput, $"invalid settings: {string.Join("; ", invalid.Failures)}");
            case FileNotFoundException or DirectoryNotFoundException or InvalidDataException or ArgumentException or FormatException:
                return (ExitCodes.BadInput, OneLine(e.Message));
        }
        var chain = Chain(e).ToArray();
        if (chain.Any(IsBrokerFailure))
            return (ExitCodes.Failed, Broker.Unreachable(configuration, OneLine(chain.Last(IsBrokerFailure).Message)));
        if (chain.FirstOrDefault(x => x is DbException || x.GetType().Name == "NpgsqlException") is { } database)
        {
            bool unreachable = chain.Any(x => x is SocketException or TimeoutException) || database.Message.Contains("Failed to connect", StringComparison.OrdinalIgnoreCase);
            var innermost = OneLine(chain.Last().Message);
            return (ExitCodes.Failed, unreachable
                ? $"the database {Database(configuration)} could not be reached (Storage:ConnectionString): {innermost}"
                : $"the database {Database(configuration)} failed (Storage:ConnectionString): {innermost}");
        }
        return e switch
        {
            TimeoutException => (ExitCodes.Failed, $"timed out: {OneLine(e.Message)}"),
            OperationCanceledException => (ExitCodes.Failed, $"an operation timed out: {OneLine(e.Message)}"),
            _ => (ExitCodes.Failed, $"{OneLine(e.Message)} ({e.GetType().Name}; set {DebugVariable}=1 for the stack trace)"),
        };
    }

    /// <summary>MassTransit's and RabbitMQ.Client's connection failures, matched by name so that this program does not
    /// depend on the transport's assemblies.</summary>
    static bool IsBrokerFailure(Exception e) =>
        e.GetType().Name is "RabbitMqConnectionException" or "BrokerUnreachableException" or "ConnectFailureException" or "AuthenticationFailureException"
        || e.GetType().Namespace?.StartsWith("RabbitMQ.Client", StringComparison.Ordinal) == true;

    static IEnumerable<Exception> Chain(Exception e)
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            yield return current;
            if (current is AggregateException aggregate)
                foreach (var inner in aggregate.InnerExceptions.Skip(1).SelectMany(Chain)) yield return inner;
        }
    }

    /// <summary>"at HOST:PORT" or "DATABASE-FILE" from Storage:*, as far as the connection string says.</summary>
    static string Database(IConfiguration? configuration)
    {
        var provider = configuration?["Storage:Provider"] ?? "sqlite";
        try
        {
            var settings = new DbConnectionStringBuilder { ConnectionString = configuration?["Storage:ConnectionString"] ?? "" };
            string? Value(params string[] keys) => keys.Select(k => settings.TryGetValue(k, out var v) ? v?.ToString() : null).FirstOrDefault(v => !string.IsNullOrEmpty(v));
            if (Value("Data Source", "DataSource", "Filename") is { } file && provider.Equals("sqlite", StringComparison.OrdinalIgnoreCase))
                return $"'{file}' ({provider})";
            if (Value("Host", "Server") is { } host)
                return $"at {host}:{Value("Port") ?? "5432"} ({provider})";
        }
        catch (ArgumentException)
        {
            // a malformed connection string: name the provider only
        }
        return $"({provider})";
    }

    static string OneLine(string text) =>
        string.Join(" ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Pipeline.Cli.Output;
using Spectre.Console;

namespace Pipeline.Cli.Hosting;

/// <summary>What a command's body gets from <see cref="PipelineCommand"/>: the parsed command line, the settings
/// built from <c>--config</c>/<c>--set</c>, where <c>--json</c> goes, Ctrl-C's token, and the two consoles.</summary>
public sealed class CommandContext(ParseResult parse, IConfigurationRoot configuration, IConfigurationRoot overrides, string? jsonTarget,
    CancellationToken cancellation)
{
    public ParseResult Parse { get; } = parse;

    /// <summary>appsettings.json, the environment, <c>--config</c> and <c>--set</c>, later ones winning.</summary>
    public IConfigurationRoot Configuration { get; } = configuration;

    /// <summary>Only what <c>--set</c> said, without files or the environment.</summary>
    public IConfigurationRoot Overrides { get; } = overrides;

    /// <summary>The <c>--json</c> value: null (none), <c>-</c> (standard output) or a file path.</summary>
    public string? JsonTarget { get; } = jsonTarget;

    /// <summary>True when <c>--json -</c> owns standard output: then human-readable results go to standard error.</summary>
    public bool JsonToStdout => JsonResults.IsStdout(JsonTarget);

    /// <summary>Cancelled by Ctrl-C, SIGINT or SIGTERM.</summary>
    public CancellationToken Cancellation { get; } = cancellation;

    /// <summary>The results a command exists to print: standard output, or standard error when <c>--json -</c>.</summary>
    public IAnsiConsole Out => JsonToStdout ? Terminal.Err : Terminal.Out;

    /// <summary>Progress, notes, warnings and errors: standard error.</summary>
    public IAnsiConsole Err => Terminal.Err;

    public T? Get<T>(Option<T> option) => Parse.GetValue(option);

    public T? Get<T>(Argument<T> argument) => Parse.GetValue(argument);

    /// <summary>Writes the command's results as JSON where <c>--json</c> says (nowhere without it).</summary>
    public Task WriteJsonAsync(object results) => JsonResults.WriteAsync(JsonTarget, results);

    /// <summary>A line of progress or context on standard error.</summary>
    public void Note(string text) => Err.MarkupLineInterpolated($"[grey]{text}[/]");

    /// <summary>A warning on standard error: the command goes on.</summary>
    public void Warn(string text) => Err.MarkupLineInterpolated($"[yellow]warning:[/] {text}");
}

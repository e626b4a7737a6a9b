using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Pipeline.Cli.Hosting;

/// <summary>Runs a command's body and turns the errors a user can fix (a bad setting, a missing file, bad data)
/// into one clear line and exit code 2; anything else is a bug and keeps its stack trace (exit code 1).</summary>
public static class CommandRunner
{
    public static async Task<int> RunAsync(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (OptionsValidationException e)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]Invalid settings:[/] {string.Join("; ", e.Failures)}");
            return 2;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException or ArgumentException or FormatException)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]Error:[/] {e.Message}");
            return 2;
        }
        catch (OperationCanceledException)
        {
            AnsiConsole.MarkupLine("[yellow]Cancelled.[/]");
            return 130;
        }
    }
}

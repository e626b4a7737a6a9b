using Spectre.Console;

namespace Pipeline.Cli.Hosting;

/// <summary>The program's two consoles, as a Unix tool has them: <see cref="Out"/> (standard output) carries the
/// results a command exists to print; <see cref="Err"/> (standard error) carries progress, notes, warnings and
/// errors, so that <c>pipeline … | tool</c> sees results alone. The static <see cref="AnsiConsole"/> is pointed at
/// <see cref="Err"/>: code that writes through it without choosing shows progress, never results.</summary>
public static class Terminal
{
    /// <summary>Where a pipe or file has no width, lines are not broken at 80 columns: a message stays one line.</summary>
    const int RedirectedWidth = 400;

    public static IAnsiConsole Out { get; } = Create(Console.Out);

    public static IAnsiConsole Err { get; } = Create(Console.Error);

    static Terminal() => AnsiConsole.Console = Err;

    /// <summary>Points the static <see cref="AnsiConsole"/> at the console before the program writes anything.</summary>
    public static void Install() => AnsiConsole.Console = Err;

    /// <summary>Whether <paramref name="console"/> can redraw in place (a terminal, not a pipe or a file).</summary>
    public static bool IsLive(IAnsiConsole console) => console.Profile.Capabilities is { Interactive: true, Ansi: true };

    static IAnsiConsole Create(TextWriter writer)
    {
        var output = new AnsiConsoleOutput(writer);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = output });
        if (!output.IsTerminal) console.Profile.Width = RedirectedWidth;
        return console;
    }
}

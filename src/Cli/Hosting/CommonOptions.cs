using System.CommandLine;

namespace Pipeline.Cli.Hosting;

/// <summary>Options every command that reads settings or writes results shares (added by <see cref="PipelineCommand"/>).</summary>
public static class CommonOptions
{
    public static Option<FileInfo?> Config() => new("--config")
    {
        Description = "A JSON settings file (same sections as appsettings.json: Run, Grpo, Task, Corpus, Pretrain, Rewards, Storage), layered over appsettings.json and the environment.",
    };

    public static Option<string[]> Set() => new("--set")
    {
        Description = "Override one setting, e.g. --set Run:Steps=10 (repeatable). Wins over files and the environment.",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<string?> Json() => new("--json")
    {
        Description = "Also write the results, machine-readable, to this JSON file; '-' writes them to standard output " +
                      "instead of the human-readable results (which then go to standard error).",
        HelpName = "file|-",
    };
}

using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Pipeline.Cli.Commands;
using Pipeline.Cli.Hosting;

Terminal.Install();
var root = new RootCommand("Pipeline: GRPO reinforcement learning for small language models, as services on a message bus.\n\n" + ExitCodes.Help)
{
    DemoCommand.Create(),
    PretrainCommand.Create(),
    TrainCommand.Create(),
    EvalCommand.Create(),
    GenerateCommand.Create(),
    VerifyCommand.Create(),
    RunsCommand.Create(),
    ReplayCommand.Create(),
    BenchCommand.Create(),
    ChaosCommand.Create(),
    DbCommand.Create(),
    DashboardCommand.Create(),
};
var parse = root.Parse(args);
if (parse.Errors.Count == 0) return await parse.InvokeAsync();

// Bad usage: the errors, typo corrections and a pointer to help on standard error (help itself only for a bare
// `pipeline`), exit code 2.
if (parse.Action is ParseErrorAction errors) errors.ShowHelp = args.Length == 0;
await parse.InvokeAsync(new InvocationConfiguration { Output = Console.Error });
var path = new List<string>();
for (SymbolResult? result = parse.CommandResult; result is not null; result = result.Parent)
    if (result is CommandResult command) path.Insert(0, command.Command is RootCommand ? "pipeline" : command.Command.Name);
await Console.Error.WriteLineAsync($"See '{string.Join(' ', path)} --help'.");
return ExitCodes.BadInput;

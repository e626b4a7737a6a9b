using System.CommandLine;
using Pipeline.Cli.Commands;

var root = new RootCommand("Pipeline: GRPO reinforcement learning for small language models, as services on a message bus.")
{
    DemoCommand.Create(),
    PretrainCommand.Create(),
    TrainCommand.Create(),
    EvalCommand.Create(),
    VerifyCommand.Create(),
    RunsCommand.Create(),
    BenchCommand.Create(),
    DbCommand.Create(),
};
return await root.Parse(args).InvokeAsync();

using System.CommandLine;
using Pipeline.Cli.Hosting;
using Pipeline.Cli.Output;
using Pipeline.Cli.Workflows;
using Pipeline.Learner.Runs;
using Pipeline.Policy.Fp8;
using Pipeline.Policy.Training;
using Pipeline.Tasks.Arithmetic;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline pretrain</c>: builds a base policy with a next-token loss on the task's synthetic corpus.</summary>
public static class PretrainCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var set = CommonOptions.Set();
        var json = CommonOptions.Json();
        var output = new Option<DirectoryInfo?>("--out") { Description = "Checkpoint directory to write (default: the Run:BasePolicy setting)." };
        var precision = new Option<LinearPrecision?>("--precision") { Description = "fp32 or fp8: the decoder's linear-layer GEMMs with DeepSeek-V3's FP8 recipe (default: the Pretrain:Precision setting)." };
        var command = new Command("pretrain", "Train a base policy on the task's synthetic corpus (settings: Pretrain, Corpus, Task).") { config, set, json, output, precision };
        command.SetAction((parse, cancellation) => CommandRunner.RunAsync(async () =>
        {
            var configuration = PipelineConfiguration.Build(parse.GetValue(config), parse.GetValue(set));
            var runConfig = RunSettings.From(configuration);
            var options = PipelineConfiguration.Bind<PretrainOptions>(configuration, PretrainOptions.Section);
            if (parse.GetValue(precision) is { } chosen) options.Precision = chosen;
            var corpus = PipelineConfiguration.Bind<CorpusOptions>(configuration, CorpusOptions.Section);
            var directory = parse.GetValue(output)?.FullName ?? runConfig.Run.BasePolicy;
            var summary = await BasePolicyTraining.RunAsync(options, TaskSources.For(runConfig), corpus, directory, cancellation);
            await JsonResults.WriteAsync(parse.GetValue(json), summary);
            return 0;
        }));
        return command;
    }
}

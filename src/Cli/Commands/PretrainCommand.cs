using System.CommandLine;
using Pipeline.Cli.Hosting;
using Pipeline.Cli.Workflows;
using Pipeline.Hosting;
using Pipeline.Learner.Runs;
using Pipeline.Policy.Fp8;
using Pipeline.Policy.Training;
using Pipeline.Tasks.Arithmetic;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline pretrain</c>: builds a base policy with a next-token loss on the task's synthetic corpus.</summary>
public static class PretrainCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo?>("--out") { Description = "Checkpoint directory to write (default: the Run:BasePolicy setting)." };
        var precision = new Option<LinearPrecision?>("--precision") { Description = "fp32, bf16 (mixed precision, FP32 master weights) or fp8 (DeepSeek-V3's recipe): the decoder's linear-layer GEMMs (default: the Pretrain:Precision setting, whose fp32 means bf16 where Policy:ComputeDtype is or auto picks bfloat16)." };
        return PipelineCommand.Create("pretrain", "Train a base policy on the task's synthetic corpus (settings: Pretrain, Corpus or CountdownCorpus, Task or Countdown). " +
            "Prints the checkpoint's directory and SHA-256 on standard output.", [output, precision], async context =>
        {
            var runConfig = RunSettings.From(context.Configuration);
            var options = BasePolicyTraining.Options(context.Configuration, context.Get(precision));
            var task = TaskSources.For(runConfig);
            var directory = context.Get(output)?.FullName ?? runConfig.Run.BasePolicy;
            var summary = await BasePolicyTraining.RunAsync(options, PretrainingCorpus.For(task, context.Configuration), directory, context.Cancellation);
            context.Out.WriteLine($"{summary.Checkpoint}  sha256 {summary.Sha256}  {summary.Steps} steps, final loss {summary.FinalLoss:F3}");
            await context.WriteJsonAsync(summary);
            return ExitCodes.Success;
        });
    }
}

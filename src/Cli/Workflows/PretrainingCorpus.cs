using Microsoft.Extensions.Configuration;
using Pipeline.Hosting;
using Pipeline.Tasks;
using Pipeline.Tasks.Arithmetic;
using Pipeline.Tasks.Countdown;

namespace Pipeline.Cli.Workflows;

/// <summary>The pretraining corpus of a task: worked solutions for arithmetic (section "Corpus"), search traces for
/// Countdown (section "CountdownCorpus").</summary>
public static class PretrainingCorpus
{
    public static Func<Problem, Random, string> For(ITaskSource task, IConfiguration configuration) => task switch
    {
        CountdownTask => new CountdownCorpus(OptionsBinding.Bind<CountdownCorpusOptions>(configuration, CountdownCorpusOptions.Section)).Sample,
        _ => new ArithmeticCorpus(OptionsBinding.Bind<CorpusOptions>(configuration, CorpusOptions.Section)).Sample,
    };
}

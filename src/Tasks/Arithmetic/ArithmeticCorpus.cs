namespace Pipeline.Tasks.Arithmetic;

/// <summary>The synthetic pretraining corpus: worked solutions in R1-Zero's format, a share of which make the
/// systematic mistake (<see cref="WorkedSolution"/>) and a share of which break the format.</summary>
public sealed class ArithmeticCorpus(CorpusOptions options)
{
    /// <summary>One completion (the text after "Assistant:") for <paramref name="problem"/>.</summary>
    public string Sample(Problem problem, Random random)
    {
        var work = WorkedSolution.Solve(Operation.Parse(problem.Question), random.NextDouble() < options.MisconceptionRate);
        return random.NextDouble() < options.FormatBreakRate
            ? BrokenFormat(work, random.Next(5))
            : $"<think>{work.Reasoning}</think><answer>{work.Answer}</answer>";
    }

    /// <summary>The ways base models break R1-Zero's format: an answer outside the tags, a missing closing tag,
    /// chatter after the answer, no reasoning block, no opening tag.</summary>
    static string BrokenFormat(WorkedSolution.Work work, int kind) => kind switch
    {
        0 => $"<think>{work.Reasoning}</think>{work.Answer}",
        1 => $"<think>{work.Reasoning}<answer>{work.Answer}</answer>",
        2 => $"<think>{work.Reasoning}</think><answer>{work.Answer}</answer>{work.Answer}",
        3 => $"<answer>{work.Answer}</answer>",
        _ => $"{work.Reasoning}</think><answer>{work.Answer}</answer>",
    };
}

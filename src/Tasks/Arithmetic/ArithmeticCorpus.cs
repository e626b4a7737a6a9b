using static Pipeline.Tasks.TemplateTags;

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
            : $"{ThinkOpen}{work.Reasoning}{ThinkClose}{AnswerOpen}{work.Answer}{AnswerClose}";
    }

    /// <summary>The ways base models break R1-Zero's format: an answer outside the tags, a missing closing tag,
    /// chatter after the answer, no reasoning block, no opening tag.</summary>
    static string BrokenFormat(WorkedSolution.Work work, int kind) => kind switch
    {
        0 => $"{ThinkOpen}{work.Reasoning}{ThinkClose}{work.Answer}",
        1 => $"{ThinkOpen}{work.Reasoning}{AnswerOpen}{work.Answer}{AnswerClose}",
        2 => $"{ThinkOpen}{work.Reasoning}{ThinkClose}{AnswerOpen}{work.Answer}{AnswerClose}{work.Answer}",
        3 => $"{AnswerOpen}{work.Answer}{AnswerClose}",
        _ => $"{work.Reasoning}{ThinkClose}{AnswerOpen}{work.Answer}{AnswerClose}",
    };
}

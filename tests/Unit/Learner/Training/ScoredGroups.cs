using Pipeline.Contracts;

namespace Pipeline.Tests.Unit.Learner.Training;

/// <summary>Scored groups as the verifier publishes them, built from plain token and log-prob arrays.</summary>
static class ScoredGroups
{
    public sealed record Sample(int Index, int[] Tokens, float[] LogProbs, double Reward, double Accuracy = 0, double Format = 0);

    /// <summary>A group whose completions and scores arrive in the order given (scores in <paramref name="scoreOrder"/>
    /// when set, as indices into <paramref name="samples"/>), as they may off the broker.</summary>
    public static RolloutGroupScored Group(string prompt, Sample[] samples, int[]? scoreOrder = null) => new()
    {
        RunId = Guid.Empty,
        BatchId = 0,
        PromptId = 0,
        PolicyVersion = 0,
        Prompt = new RolloutPrompt { PromptId = 0, Text = prompt, Task = "math", Reference = "" },
        Completions = samples.Select(s => new Completion
        {
            Index = s.Index,
            Text = "",
            TokenIds = PackedArrays.Pack(s.Tokens),
            LogProbs = PackedArrays.Pack(s.LogProbs),
            FinishReason = "stop",
        }).ToArray(),
        Scores = (scoreOrder ?? Enumerable.Range(0, samples.Length).ToArray()).Select(i => new CompletionScore
        {
            Index = samples[i].Index,
            Reward = samples[i].Reward,
            Components = new Dictionary<string, double> { ["accuracy"] = samples[i].Accuracy, ["format"] = samples[i].Format },
            Verdict = "",
        }).ToArray(),
    };

    /// <summary>Samples indexed 0, 1, … in order, each with <c>tokens</c> tokens (ids 1, 2, …) and log-probs −0.1, −0.2, ….</summary>
    public static Sample[] InOrder(params (int Tokens, double Reward)[] samples) =>
        samples.Select((s, i) => new Sample(i, Tokens(s.Tokens), LogProbs(s.Tokens), s.Reward)).ToArray();

    public static int[] Tokens(int count) => Enumerable.Range(1, count).ToArray();

    public static float[] LogProbs(int count) => Enumerable.Range(1, count).Select(j => -0.1f * j).ToArray();
}

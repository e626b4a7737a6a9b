using Pipeline.Contracts;
using Pipeline.Data.Stores;

namespace Pipeline.Tests.Data.Contract;

/// <summary>Small, fully specified messages for the storage tests.</summary>
public static class Samples
{
    public static NewRun Run(string name = "arith-grpo") => new()
    {
        Name = name,
        ConfigJson = """{"grpo":{"beta":0.04,"groupSize":4}}""",
        Seed = 1234,
        GroupsExpected = 64,
    };

    public static RolloutGroupScored Group(Guid runId, int batchId, int promptId, int policyVersion = 1, int size = 4) => new()
    {
        RunId = runId,
        BatchId = batchId,
        PromptId = promptId,
        PolicyVersion = policyVersion,
        Prompt = new RolloutPrompt
        {
            PromptId = promptId,
            Text = $"What is {promptId} + {batchId}?",
            Task = "arithmetic",
            Reference = (promptId + batchId).ToString(),
        },
        Completions = Enumerable.Range(0, size).Select(i => new Completion
        {
            Index = i,
            Text = $"<think>adding</think><answer>{promptId + batchId + i}</answer>",
            TokenIds = PackedArrays.Pack([1, 50_000 + i, -1, int.MaxValue, promptId]),
            LogProbs = PackedArrays.Pack([-0.25f * (i + 1), float.NegativeInfinity, -1e-30f, float.Epsilon]),
            FinishReason = i == size - 1 ? "length" : "stop",
        }).ToList(),
        Scores = Enumerable.Range(0, size).Select(i => new CompletionScore
        {
            Index = i,
            Reward = i == 0 ? 1.0 : 0.1 * i,
            Components = new Dictionary<string, double> { ["accuracy"] = i == 0 ? 1 : 0, ["format"] = 0.1 * i },
            Verdict = i == 0 ? "correct" : "wrong-answer",
        }).ToList(),
    };

    public static EvaluationResult Evaluation(Guid runId, int policyVersion, double accuracy) => new()
    {
        RunId = runId,
        PolicyVersion = policyVersion,
        Split = "test",
        Accuracy = accuracy,
        FormatRate = 0.9,
        PassAtK = 0.95,
        K = 8,
    };
}

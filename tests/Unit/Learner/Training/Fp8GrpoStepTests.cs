using Pipeline.Contracts;
using Pipeline.Learner.Grpo;
using Pipeline.Learner.Training;
using Pipeline.Policy.Fp8;
using Pipeline.Policy.Model;
using Pipeline.Policy.Tokenization;
using Pipeline.Tests.Unit.Policy.Fp8;
using static TorchSharp.torch;

namespace Pipeline.Tests.Unit.Learner.Training;

[Collection(GlobalGeneratorCollection.Name)]
public sealed class Fp8GrpoStepTests
{
    [Fact]
    public void A_grpo_step_on_an_fp8_policy_raises_the_rewarded_completion_s_log_prob()
    {
        using var scope = NewDisposeScope();
        manual_seed(17);
        var policy = new CausalLm(Fp8LinearTests.TinyConfig() with { Precision = LinearPrecision.Fp8 });
        const string prompt = "2+2";
        int[] rewarded = [.. ByteTokenizer.Instance.Encode("4"), ByteTokenizer.Eos];
        int[] unrewarded = [.. ByteTokenizer.Instance.Encode("5"), ByteTokenizer.Eos];
        var before = LogProbs(policy, prompt, rewarded, unrewarded);
        using var trainer = new GrpoTrainer(policy, null, new GrpoOptions { Beta = 0, LearningRate = 1e-2, Precision = LinearPrecision.Fp8 }, 8, 1f);

        var result = trainer.Step([Group(prompt, (rewarded, before[0], 1.0), (unrewarded, before[1], 0.0))]);
        var after = LogProbs(policy, prompt, rewarded, unrewarded);

        Assert.True(result.Updated);
        Assert.True(double.IsFinite(result.Loss));
        Assert.True(after[0].Sum() > before[0].Sum(), $"log π(rewarded) {before[0].Sum()} → {after[0].Sum()}");
        Assert.True(after[1].Sum() < before[1].Sum(), $"log π(unrewarded) {before[1].Sum()} → {after[1].Sum()}");
        policy.Dispose();
    }

    static float[][] LogProbs(CausalLm policy, string prompt, params int[][] completions)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var prompts = completions.Select(_ => PromptTokens.Bytes.ForRenderedPrompt(prompt)).ToArray();
        using var layout = TokenLayout.Build(prompts, completions, policy.Config.PadId);
        var logProbs = SequenceLogProbs.Compute(policy, layout);
        return completions.Select((c, i) => logProbs[i].narrow(0, 0, c.Length).data<float>().ToArray()).ToArray();
    }

    static RolloutGroupScored Group(string prompt, params (int[] Tokens, float[] LogProbs, double Reward)[] samples) => new()
    {
        RunId = Guid.Empty,
        BatchId = 0,
        PromptId = 0,
        PolicyVersion = 0,
        Prompt = new RolloutPrompt { PromptId = 0, Text = prompt, Task = "math", Reference = "4" },
        Completions = samples.Select((s, i) => new Completion
        {
            Index = i,
            Text = "",
            TokenIds = PackedArrays.Pack(s.Tokens),
            LogProbs = PackedArrays.Pack(s.LogProbs),
            FinishReason = "stop",
        }).ToArray(),
        Scores = samples.Select((s, i) => new CompletionScore
        {
            Index = i,
            Reward = s.Reward,
            Components = new Dictionary<string, double> { ["accuracy"] = s.Reward },
            Verdict = "",
        }).ToArray(),
    };
}

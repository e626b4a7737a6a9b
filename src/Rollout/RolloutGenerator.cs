using System.Diagnostics;
using Pipeline.Contracts;
using Pipeline.Policy;
using Pipeline.Policy.Sampling;
using Pipeline.Policy.Tokenization;

namespace Pipeline.Rollout;

/// <summary>Turns a <see cref="GenerateRollouts"/> command into one <see cref="RolloutGroupGenerated"/> per prompt,
/// sampled with exactly the policy version the command names, on the worker's one sampling thread
/// (<see cref="TorchThread"/>).</summary>
public sealed class RolloutGenerator(PolicyCache policies) : IDisposable
{
    readonly TorchThread _thread = new("rollout sampler");

    public Task<IReadOnlyList<RolloutGroupGenerated>> GenerateAsync(GenerateRollouts command) => _thread.RunAsync(() => Generate(command));

    public void Dispose() => _thread.Dispose();

    IReadOnlyList<RolloutGroupGenerated> Generate(GenerateRollouts command)
    {
        Validate(command);
        var policy = policies.Get(PolicyLocation.Of(command));
        var prompts = command.Prompts.Select(p => policy.Prompts.ForRenderedPrompt(p.Text)).ToArray();
        var parameters = new SamplingParameters(command.Sampling.Temperature, command.Sampling.TopP, command.Sampling.MaxTokens)
        {
            StopSequences = (command.Sampling.Stop ?? []).Where(s => s.Length > 0).ToArray(),
        };
        var clock = Stopwatch.StartNew();
        var groups = new Sampler(policy).Sample(prompts, command.GroupSize, parameters,
            (prompt, sample) => SampleSeeds.Derive(command.Sampling.Seed, command.BatchId, command.Prompts[prompt].PromptId, sample));
        double seconds = clock.Elapsed.TotalSeconds;
        return command.Prompts.Select((prompt, p) => new RolloutGroupGenerated
        {
            RunId = command.RunId,
            BatchId = command.BatchId,
            PromptId = prompt.PromptId,
            PolicyVersion = command.PolicyVersion,
            Prompt = prompt,
            Completions = groups[p].Select((sample, index) => new Completion
            {
                Index = index,
                Text = CompletionText(policy.Tokenizer, sample.Tokens),
                TokenIds = PackedArrays.Pack(sample.Tokens),
                LogProbs = PackedArrays.Pack(sample.LogProbs),
                FinishReason = sample.FinishReason,
            }).ToArray(),
            GenerationSeconds = seconds,
        }).ToArray();
    }

    /// <summary>The completion as text for the verifier and the run database. A policy can sample byte 0, which
    /// PostgreSQL cannot store in a text column (the whole group would be refused, and its batch never completed);
    /// it becomes U+FFFD, as invalid UTF-8 already does. <see cref="Completion.TokenIds"/> keep the exact tokens.</summary>
    static string CompletionText(PolicyTokenizer tokenizer, int[] tokens) => tokenizer.Decode(tokens).Replace('\0', '\uFFFD');

    static void Validate(GenerateRollouts command)
    {
        if (command.Prompts is null || command.Prompts.Count == 0) throw new ArgumentException("GenerateRollouts has no prompts");
        if (command.GroupSize <= 0) throw new ArgumentException($"GenerateRollouts.GroupSize must be positive, not {command.GroupSize}");
        if (command.Sampling is null) throw new ArgumentException("GenerateRollouts has no sampling settings");
        if (string.IsNullOrWhiteSpace(command.PolicyCheckpointUri) || string.IsNullOrWhiteSpace(command.PolicySha256))
            throw new ArgumentException("GenerateRollouts does not say where its policy version lies");
        if (command.Prompts.Select(p => p.PromptId).Distinct().Count() != command.Prompts.Count)
            throw new ArgumentException("GenerateRollouts repeats a prompt id");
    }
}

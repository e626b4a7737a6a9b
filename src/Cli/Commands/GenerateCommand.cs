using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Pipeline.Cli.Hosting;
using Pipeline.Hosting;
using Pipeline.Policy;
using Pipeline.Policy.Checkpoints;
using Pipeline.Policy.Sampling;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline generate</c>: one completion from a Hugging Face model directory (or any Pipeline checkpoint),
/// on the device and in the dtype of the <c>Policy</c> settings. The prompt is framed as the tokenizer's
/// post-processor says (bos first for Llama); with no prompt, generation starts from bos alone.</summary>
public static class GenerateCommand
{
    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "A Hugging Face model directory (config.json, tokenizer.json, safetensors) or a Pipeline checkpoint.", Required = true };
        var prompt = new Option<string?>("--prompt") { Description = "The text to continue (default: start from bos alone)." };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Tokens to generate at most.", DefaultValueFactory = _ => 128 };
        var temperature = new Option<float>("--temperature") { Description = "Sampling temperature; 0 is greedy decoding.", DefaultValueFactory = _ => 0f };
        var topP = new Option<float>("--top-p") { Description = "Nucleus sampling: keep the most likely tokens up to this probability mass.", DefaultValueFactory = _ => 1f };
        var seed = new Option<long>("--seed") { Description = "Seed of the sample (the same seed gives the same completion).", DefaultValueFactory = _ => 0 };
        return PipelineCommand.Create("generate", "Generate a completion with a model (settings: Policy:Device, Policy:ComputeDtype). " +
            "Prints the completion on standard output; --json writes prompt_token_ids, token_ids and text.",
            [model, prompt, maxTokens, temperature, topP, seed], async context =>
        {
            var placement = OptionsBinding.Bind<PolicyOptions>(context.Configuration, PolicyOptions.Section);
            var parameters = new SamplingParameters(context.Get(temperature), context.Get(topP), context.Get(maxTokens));
            parameters.Validate();
            TorchRuntime.Configure(context.Configuration.GetValue<int>("Rollout:TorchThreads"));
            using var policy = placement.ForInference(Checkpoint.Load(context.Get(model)!.FullName));
            policy.eval();
            var text = context.Get(prompt);
            int[] promptIds = text is null
                ? [policy.Config.BosTokenId ?? throw new ArgumentException("the model's config names no bos_token_id: give --prompt")]
                : policy.Tokenizer.EncodeWithSpecialTokens(text);
            long sampleSeed = context.Get(seed);
            var clock = Stopwatch.StartNew();
            var sample = new Sampler(policy).Sample([promptIds], 1, parameters, (_, _) => SampleSeeds.Derive(sampleSeed, 0, 0, 0))[0][0];
            double seconds = clock.Elapsed.TotalSeconds;
            var completion = policy.Tokenizer.Decode(sample.Tokens);
            context.Out.WriteLine(completion);
            context.Err.WriteLine($"{sample.Tokens.Length} tokens in {seconds:F2} s ({sample.Tokens.Length / seconds:F1} tokens/s, " +
                $"{placement.Device}, {placement.ComputeDtype}, finish: {sample.FinishReason})");
            await context.WriteJsonAsync(new { PromptTokenIds = promptIds, TokenIds = sample.Tokens, Text = completion });
            return ExitCodes.Success;
        });
    }
}

using Pipeline.Policy.Checkpoints;
using Pipeline.Policy.Model;
using Pipeline.Policy.Tokenization;
using Pipeline.Policy.Training;
using Pipeline.Tasks.Arithmetic;
using static TorchSharp.torch;

namespace Pipeline.Tests.Unit.Policy;

[Collection(TorchCollection.Name)]
public sealed class PretrainerTests
{
    static PretrainOptions TinyOptions() => new()
    {
        Steps = 30,
        BatchSize = 8,
        LearningRate = 3e-3,
        WarmupSteps = 5,
        Seed = 3,
        HiddenSize = 32,
        Layers = 2,
        Heads = 2,
        IntermediateSize = 64,
        MaxPositions = 64,
    };

    /// <summary>Mean next-token loss over the completion tokens of a fixed batch.</summary>
    static double Loss(CausalLm policy, int[][] prompts, int[][] completions)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var layout = TokenLayout.Build(prompts, completions, policy.Config.PadId);
        var logProbs = SequenceLogProbs.Compute(policy, layout);
        return (-(logProbs * layout.CompletionMask).sum() / layout.CompletionMask.sum()).item<float>();
    }

    [Fact]
    public void Thirty_steps_on_one_digit_addition_lower_the_loss()
    {
        var options = TinyOptions();
        var task = new ArithmeticTask(new ArithmeticOptions { Operations = "+", Digits = 1, HeldOutSize = 10 });
        var corpus = new ArithmeticCorpus(new CorpusOptions { MisconceptionRate = 0, FormatBreakRate = 0 });
        var reports = new List<PretrainProgress>();

        // The policy Train starts from: the same seed and shape.
        manual_seed(options.Seed);
        using var initial = new CausalLm(CausalLm.DefaultConfig() with
        {
            HiddenSize = 32,
            NumHiddenLayers = 2,
            NumAttentionHeads = 2,
            IntermediateSize = 64,
            MaxPositionEmbeddings = 64,
        });
        using var trained = new Pretrainer(options).Train(task, corpus.Sample, reports.Add);

        var random = new Random(17);
        var prompts = task.HeldOut.Select(p => PromptTokens.Bytes.ForQuestion(p.Question)).ToArray();
        var completions = task.HeldOut.Select(p => PromptTokens.Bytes.ForCompletion(corpus.Sample(p, random))).ToArray();
        double before = Loss(initial, prompts, completions), after = Loss(trained, prompts, completions);

        // An untrained policy is near uniform over 265 tokens: loss ≈ ln 265 ≈ 5.58.
        Assert.InRange(before, 5.0, 6.2);
        Assert.True(after < before - 1.0, $"loss {before:F3} before training, {after:F3} after 30 steps");
        Assert.Equal([10, 20, 30], reports.Select(r => r.Step));
        Assert.All(reports, r => Assert.Equal(new Pretrainer(options).LearningRateAt(r.Step), r.LearningRate));
        Assert.True(reports[^1].Loss < before, $"the last step's training loss {reports[^1].Loss:F3}");
    }

    [Fact]
    public void Micro_batches_of_similar_length_train_as_the_one_padded_batch_does()
    {
        // The same seed and data; 4 steps laid out as one padded batch of 8 rows, and cut into micro-batches of at
        // most 256 token positions (several per step): the losses and the weights agree to float rounding.
        var task = new ArithmeticTask(new ArithmeticOptions { Operations = "+*", Digits = 2, HeldOutSize = 10 });
        var corpus = new ArithmeticCorpus(new CorpusOptions());
        var whole = TinyOptions();
        whole.Steps = 4;
        var cut = TinyOptions();
        cut.Steps = 4;
        cut.MicroBatchTokens = 256;
        var oneLayout = new Pretrainer(whole);
        var microBatched = new Pretrainer(cut);
        using var a = oneLayout.Train(task, corpus.Sample);
        using var b = microBatched.Train(task, corpus.Sample);

        Assert.Equal(oneLayout.Losses.Count, microBatched.Losses.Count);
        for (int i = 0; i < oneLayout.Losses.Count; i++) Assert.Equal(oneLayout.Losses[i], microBatched.Losses[i], 1e-4);
        foreach (var ((name, p), (_, q)) in a.named_parameters().Zip(b.named_parameters()))
            Assert.True(p.allclose(q, rtol: 1e-4, atol: 1e-5), $"{name} differs");
    }

    [Theory]
    // Warm-up: lr · step / 10 up to step 10.
    [InlineData(1, 1e-4)]
    [InlineData(5, 5e-4)]
    [InlineData(10, 1e-3)]
    // Cosine over the remaining 100 steps from lr to lr/10: 1e-4 + 9e-4 · ½(1 + cos(π·progress)).
    [InlineData(35, 8.681980515339464e-4)] // progress ¼: 1e-4 + 4.5e-4 · (1 + √½)
    [InlineData(60, 5.5e-4)]               // progress ½
    [InlineData(85, 2.318019484660536e-4)] // progress ¾: 1e-4 + 4.5e-4 · (1 − √½)
    [InlineData(110, 1e-4)]                // the end: a tenth of lr
    public void The_learning_rate_warms_up_linearly_then_decays_by_cosine_to_a_tenth(int step, double expected)
    {
        var pretrainer = new Pretrainer(new PretrainOptions { LearningRate = 1e-3, WarmupSteps = 10, Steps = 110 });

        Assert.Equal(expected, pretrainer.LearningRateAt(step), 1e-15);
    }

    [Fact]
    public void A_base_policy_with_whole_number_tokens_reads_them_and_keeps_its_tokenizer_in_its_checkpoint()
    {
        var options = TinyOptions();
        options.Steps = 2;
        options.WholeNumberTokens = 100;
        var task = new ArithmeticTask(new ArithmeticOptions { Operations = "+", Digits = 2, HeldOutSize = 10 });
        var corpus = new ArithmeticCorpus(new CorpusOptions { MisconceptionRate = 0, FormatBreakRate = 0 });
        var directory = Directory.CreateTempSubdirectory("pipeline-numbers-").FullName;
        try
        {
            using var trained = new Pretrainer(options).Train(task, corpus.Sample);
            Checkpoint.Save(trained, directory);
            using var loaded = Checkpoint.Load(directory);

            Assert.Equal(ByteTokenizer.VocabSizeWith(100), trained.Config.VocabSize);
            Assert.Equal([ByteTokenizer.VocabSize + 48 - 10], trained.Tokenizer.Encode("48"));
            Assert.Equal(trained.Tokenizer.Json, loaded.Tokenizer.Json);
            Assert.Equal(trained.Tokenizer.Encode("12+34=46"), loaded.Tokenizer.Encode("12+34=46"));
            Assert.Equal(3, loaded.Tokenizer.Encode("12+34=46").Count(id => id >= ByteTokenizer.VocabSize));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Whole_number_tokens_below_ten_are_a_clear_error()
    {
        var options = TinyOptions();
        options.WholeNumberTokens = 5;

        var error = Assert.Throws<ArgumentException>(() => options.Tokenizer());
        Assert.Contains("Pretrain:WholeNumberTokens", error.Message);
        Assert.Contains("Pretrain:WholeNumberTokens", Assert.Throws<ArgumentException>(() => options.ModelConfig()).Message);
    }
}

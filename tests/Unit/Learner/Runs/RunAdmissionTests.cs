using Microsoft.Extensions.Options;
using Pipeline.Learner;
using Pipeline.Learner.Grpo;
using Pipeline.Learner.Runs;
using Pipeline.Policy.Model;
using Pipeline.Policy.Tokenization;
using Pipeline.Rewards;
using Pipeline.Rewards.Code;
using Pipeline.Sandboxing;
using Pipeline.Tasks.Arithmetic;
using Pipeline.Tasks.Jsonl;
using Pipeline.Tests.Data;

namespace Pipeline.Tests.Unit.Learner.Runs;

public sealed class RunAdmissionTests
{
    static RunSettings Settings(Action<RunOptions>? change = null)
    {
        var run = new RunOptions { BasePolicy = "/srv/policies/base", CheckpointDirectory = "/srv/checkpoints" };
        change?.Invoke(run);
        return new RunSettings(run, new ArithmeticOptions(), new GrpoOptions());
    }

    static readonly LearnerOptions Roots = new() { PolicyRoot = "/srv/policies", CheckpointRoot = "/srv/checkpoints/", DatasetRoot = "/srv/data" };

    [Fact]
    public void A_group_estimate_is_24_bytes_a_token_and_512_a_completion()
    {
        // 8 completions × (64 tokens × 24 + 512) = 8 × 2048 = 16,384
        Assert.Equal(16_384, RunAdmission.EstimatedGroupBytes(new RunOptions { GroupSize = 8, MaxTokens = 64 }));
    }

    [Fact]
    public void Groups_too_large_for_one_message_are_refused_naming_both_settings()
    {
        // 1024 × (8192 × 24 + 512) = 201,850,880 bytes > 16 MiB
        var refusal = Assert.Throws<ArgumentException>(() => RunAdmission.Check(Settings(r => { r.GroupSize = 1024; r.MaxTokens = 8192; }), Roots));
        Assert.Contains("Run:GroupSize 1024 × Run:MaxTokens 8192", refusal.Message);
        Assert.Contains("Learner:MaxMessageBytes 16,777,216", refusal.Message);
        RunAdmission.Check(Settings(r => { r.GroupSize = 1024; r.MaxTokens = 8192; }), new LearnerOptions { MaxMessageBytes = 256L * 1024 * 1024 });
    }

    [Fact]
    public void Paths_under_the_roots_are_admitted_and_without_roots_anything_is()
    {
        RunAdmission.Check(Settings(), Roots);
        RunAdmission.Check(Settings(r => r.BasePolicy = "/anywhere"), new LearnerOptions());
    }

    [Theory]
    [InlineData("/etc", "Run:BasePolicy '/etc' is not under Learner:PolicyRoot '/srv/policies'")]
    [InlineData("/srv/policies/../secrets", "Run:BasePolicy '/srv/secrets' is not under Learner:PolicyRoot '/srv/policies'")]
    [InlineData("/srv/policies-evil/base", "Run:BasePolicy '/srv/policies-evil/base' is not under Learner:PolicyRoot '/srv/policies'")]
    public void A_base_policy_outside_the_policy_root_is_refused_naming_both(string path, string reason)
    {
        var refusal = Assert.Throws<ArgumentException>(() => RunAdmission.Check(Settings(r => r.BasePolicy = path), Roots));
        Assert.Equal(reason, refusal.Message);
    }

    [Fact]
    public void A_checkpoint_directory_or_dataset_outside_its_root_is_refused()
    {
        Assert.Contains("Run:CheckpointDirectory", Assert.Throws<ArgumentException>(() =>
            RunAdmission.Check(Settings(r => r.CheckpointDirectory = "/tmp/x"), Roots)).Message);
        Assert.Contains("Run:Dataset", Assert.Throws<ArgumentException>(() =>
            RunAdmission.Check(Settings(r => r.Dataset = "/etc/passwd"), Roots)).Message);
    }

    [Fact]
    public void Settings_out_of_range_are_refused_because_a_start_command_was_never_bound_and_validated()
    {
        var refusal = Assert.Throws<ArgumentException>(() => RunAdmission.Check(Settings(r => r.GroupSize = 100_000), Roots));
        Assert.Contains("Run:GroupSize", refusal.Message);
    }

    [Fact]
    public void Completions_must_leave_room_for_a_prompt_in_the_policys_positions()
    {
        var policy = CausalLm.DefaultConfig() with { MaxPositionEmbeddings = 128 };
        RunAdmission.CheckFits(Settings(r => r.MaxTokens = 127), policy);
        Assert.Contains("leaves no room for a prompt", Assert.Throws<ArgumentException>(() => RunAdmission.CheckFits(Settings(r => r.MaxTokens = 128), policy)).Message);
    }

    static CompletionScorerRouter Rules(string bubblewrap) => new(
    [
        new MathScorer(Options.Create(new RewardOptions())),
        new CodeCompletionScorer(new SandboxProvider(Options.Create(new SandboxOptions { BubblewrapPath = bubblewrap, UseCgroups = false }))),
    ]);

    static JsonlDataset Dataset(TempDirectory temp, params string[] lines)
    {
        var path = temp.File("problems.jsonl");
        File.WriteAllLines(path, lines);
        return JsonlDataset.Load(path);
    }

    static readonly PolicyConfig Context = CausalLm.DefaultConfig() with { MaxPositionEmbeddings = 128 };

    [Fact]
    public async Task A_training_prompt_too_long_for_the_context_is_refused_before_the_run_naming_its_id_and_line()
    {
        using var temp = new TempDirectory();
        var dataset = Dataset(temp,
            """{"prompt": "1+1", "answer": "2", "split": "train"}""",
            $$"""{"id": "long-one", "prompt": "{{new string('x', 100)}}", "answer": "2", "split": "train"}""",
            """{"prompt": "2+2", "answer": "4", "split": "held-out"}""");

        await RunAdmission.CheckProblemsAsync(dataset, PromptTokens.Bytes, maxTokens: 16, Context, Rules("/nonexistent/bwrap"), CancellationToken.None);
        var refusal = await Assert.ThrowsAsync<ArgumentException>(() =>
            RunAdmission.CheckProblemsAsync(dataset, PromptTokens.Bytes, maxTokens: 64, Context, Rules("/nonexistent/bwrap"), CancellationToken.None));

        Assert.StartsWith("problem 'long-one' (problems.jsonl:2) has a prompt of", refusal.Message);
        Assert.Contains("Run:MaxTokens 64", refusal.Message);
    }

    [Fact]
    public async Task A_kind_without_rules_is_refused_naming_its_first_problem()
    {
        using var temp = new TempDirectory();
        var dataset = Dataset(temp,
            """{"prompt": "1+1", "answer": "2", "split": "train"}""",
            """{"id": "p", "prompt": "prove it", "answer": "qed", "kind": "proof", "split": "train"}""");

        var refusal = await Assert.ThrowsAsync<ArgumentException>(() =>
            RunAdmission.CheckProblemsAsync(dataset, PromptTokens.Bytes, 16, Context, Rules("/nonexistent/bwrap"), CancellationToken.None));

        Assert.StartsWith("problem 'p' (problems.jsonl:2): unknown task kind 'proof'", refusal.Message);
    }

    [Fact]
    public async Task Code_problems_need_the_sandbox_on_the_learner_which_evaluates_them()
    {
        using var temp = new TempDirectory();
        var dataset = Dataset(temp,
            """{"prompt": "1+1", "answer": "2", "split": "train"}""",
            """{"prompt": "Print 1.", "tests": [{"input": "", "output": "1"}], "split": "held-out"}""");

        var refusal = await Assert.ThrowsAsync<SandboxUnavailableException>(() =>
            RunAdmission.CheckProblemsAsync(dataset, PromptTokens.Bytes, 16, Context, Rules("/nonexistent/bwrap"), CancellationToken.None));

        Assert.Contains("/nonexistent/bwrap", refusal.Message);
    }
}

using Pipeline.Learner;
using Pipeline.Learner.Grpo;
using Pipeline.Learner.Runs;
using Pipeline.Policy.Model;
using Pipeline.Tasks.Arithmetic;

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
}

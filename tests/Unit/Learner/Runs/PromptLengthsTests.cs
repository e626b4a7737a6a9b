using Pipeline.Learner.Runs;
using Pipeline.Policy.Checkpoints;
using Pipeline.Policy.Tokenization;
using Pipeline.Tasks;
using Pipeline.Tests.Unit.Policy.HuggingFace;

namespace Pipeline.Tests.Unit.Learner.Runs;

public sealed class PromptLengthsTests
{
    // Pipeline's byte tokenizer: the template's two halves are one token each, then one token per byte of the question.
    static readonly int Framing = PromptTokens.Bytes.ForQuestion("").Length;

    static Problem Question(string id, int bytes, string? origin = null) =>
        new(id, new string('x', bytes), "1", TaskKinds.Math) { Origin = origin };

    [Fact]
    public void A_prompt_that_leaves_exactly_max_tokens_positions_fits_and_one_byte_more_is_refused()
    {
        Assert.Equal(Framing + 100, PromptTokens.Bytes.ForQuestion(new string('x', 100)).Length);
        int positions = Framing + 100 + 64;

        PromptLengths.Check([Question("a", 100)], PromptTokens.Bytes, maxTokens: 64, positions);
        var refusal = Assert.Throws<ArgumentException>(() =>
            PromptLengths.Check([Question("a", 100), Question("b", 101, "set.jsonl:2")], PromptTokens.Bytes, maxTokens: 64, positions));

        Assert.Equal(
            $"problem 'b' (set.jsonl:2) has a prompt of {Framing + 101} tokens: with Run:MaxTokens 64 it needs {Framing + 165} positions, " +
            $"but the policy has {positions} (max_position_embeddings), so a prompt may have at most {Framing + 100}",
            refusal.Message);
    }

    [Fact]
    public void The_first_problem_too_long_is_named_and_the_others_counted()
    {
        var problems = new[] { Question("ok", 10), Question("long-1", 500, "p.jsonl:2"), Question("long-2", 600), Question("long-3", 700) };

        var refusal = Assert.Throws<ArgumentException>(() => PromptLengths.Check(problems, PromptTokens.Bytes, 64, 256));

        Assert.StartsWith("problem 'long-1' (p.jsonl:2) has a prompt of", refusal.Message);
        Assert.EndsWith("; 2 more problem(s) are too long: 'long-2', 'long-3'", refusal.Message);
    }

    [Fact]
    public void Prompts_are_counted_in_the_policys_own_tokens()
    {
        // stories260K: 512 positions, SentencePiece BPE; R1-Zero's preamble alone is hundreds of its tokens.
        var prompts = Checkpoint.ReadPromptTokens(Stories260K.Directory);
        var question = new Problem("short", "Print hello.", "{}", TaskKinds.Code);
        int tokens = prompts.ForQuestion(question.Question).Length;
        Assert.InRange(tokens, 200, 500);

        PromptLengths.Check([question], prompts, maxTokens: 512 - tokens, positions: 512);
        var refusal = Assert.Throws<ArgumentException>(() => PromptLengths.Check([question], prompts, maxTokens: 513 - tokens, positions: 512));
        Assert.Contains($"problem 'short' has a prompt of {tokens} tokens", refusal.Message);
    }
}

using Pipeline.Tasks;

namespace Pipeline.Policy.Tokenization;

/// <summary>How prompts and completions become token sequences for a policy: R1-Zero's template around the question,
/// framed as the tokenizer's post-processor says (bos first for Llama); the completion followed by eos.</summary>
public sealed class PromptTokens(PolicyTokenizer tokenizer, int eos)
{
    /// <summary>Pipeline's byte tokenizer with its eos.</summary>
    public static PromptTokens Bytes { get; } = new(ByteTokenizer.Instance, ByteTokenizer.Eos);

    public PolicyTokenizer Tokenizer => tokenizer;

    public int[] ForQuestion(string question) => ForRenderedPrompt(PromptTemplate.Render(question));

    public int[] ForRenderedPrompt(string prompt) => tokenizer.EncodeWithSpecialTokens(prompt);

    public int[] ForCompletion(string completion) => [.. tokenizer.Encode(completion), eos];
}

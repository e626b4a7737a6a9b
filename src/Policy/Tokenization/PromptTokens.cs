using Pipeline.Tasks;

namespace Pipeline.Policy.Tokenization;

/// <summary>How prompts and completions become token sequences: BOS, R1-Zero's template around the question;
/// the completion followed by EOS.</summary>
public static class PromptTokens
{
    public static int[] ForQuestion(string question) => ForRenderedPrompt(PromptTemplate.Render(question));

    public static int[] ForRenderedPrompt(string prompt) => [ByteTokenizer.Bos, .. ByteTokenizer.Instance.Encode(prompt)];

    public static int[] ForCompletion(string completion) => [.. ByteTokenizer.Instance.Encode(completion), ByteTokenizer.Eos];
}

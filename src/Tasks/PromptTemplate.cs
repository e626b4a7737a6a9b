namespace Pipeline.Tasks;

/// <summary>DeepSeek-R1-Zero's training template (DeepSeek-R1 paper, Table 1), verbatim. The policy completes the
/// text after "Assistant:" with <c>&lt;think&gt;…&lt;/think&gt;&lt;answer&gt;…&lt;/answer&gt;</c>.</summary>
public static class PromptTemplate
{
    /// <summary>Everything before the question. The tokenizer treats it as one special token, so the fixed
    /// instruction costs one position rather than ~330 bytes in every sequence.</summary>
    public const string Preamble =
        "A conversation between User and Assistant. The user asks a question, and the Assistant solves it. " +
        "The assistant first thinks about the reasoning process in the mind and then provides the user with the answer. " +
        "The reasoning process and answer are enclosed within <think> </think> and <answer> </answer> tags, " +
        "respectively, i.e., <think> reasoning process here </think> <answer> answer here </answer>. User: ";

    /// <summary>Everything after the question; also a single special token.</summary>
    public const string AssistantTurn = ". Assistant:";

    public static string Render(string question) => Preamble + question + AssistantTurn;
}

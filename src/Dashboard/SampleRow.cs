namespace Pipeline.Dashboard;

/// <summary>One completion of a step as the samples page shows it.</summary>
/// <param name="Advantage">the advantage the learner trained it with; null if its group was not trained on</param>
/// <param name="Tokens">each completion token as text with its behaviour log-prob (empty when not stored)</param>
public sealed record SampleRow(int PromptId, string Prompt, int Index, string Completion, double Reward,
    IReadOnlyDictionary<string, double> Components, string Verdict, float? Advantage, int PolicyVersion, int? Step,
    string FinishReason, IReadOnlyList<SampleToken> Tokens);

/// <summary>One sampled token: its text and the log-prob the rollout worker sampled it with.</summary>
public sealed record SampleToken(int Id, string Text, float LogProb);

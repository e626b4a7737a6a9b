using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.Contracts;
using Pipeline.Data.Entities;

namespace Pipeline.Data;

/// <summary>The one mapping between the <see cref="RolloutGroupScored"/> message and its stored rows, both ways.
/// Token ids and log-probs stay packed bytes end to end.</summary>
public static class ScoredGroupMapper
{
    static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static ScoredGroup ToEntity(RolloutGroupScored group, bool stale, DateTimeOffset receivedAt)
    {
        if (group.Prompt.PromptId != group.PromptId)
            throw new ArgumentException(
                $"group {group.BatchId}/{group.PromptId} carries prompt {group.Prompt.PromptId}", nameof(group));

        var scores = new Dictionary<int, CompletionScore>();
        foreach (var score in group.Scores)
            if (!scores.TryAdd(score.Index, score))
                throw new ArgumentException($"group {group.BatchId}/{group.PromptId} scores completion {score.Index} twice", nameof(group));
        if (scores.Count != group.Completions.Count)
            throw new ArgumentException(
                $"group {group.BatchId}/{group.PromptId} has {group.Completions.Count} completions but {scores.Count} scores",
                nameof(group));

        return new ScoredGroup
        {
            RunId = group.RunId,
            BatchId = group.BatchId,
            PromptId = group.PromptId,
            PolicyVersion = group.PolicyVersion,
            PromptText = StoredText.Safe(group.Prompt.Text),
            Task = group.Prompt.Task,
            Reference = StoredText.Safe(group.Prompt.Reference),
            Stale = stale,
            ReceivedAt = receivedAt,
            Completions = group.Completions.Select(completion =>
            {
                if (!scores.TryGetValue(completion.Index, out var score))
                    throw new ArgumentException(
                        $"group {group.BatchId}/{group.PromptId} has no score for completion {completion.Index}", nameof(group));
                return new ScoredCompletion
                {
                    Index = completion.Index,
                    Text = StoredText.Safe(completion.Text),
                    TokenIds = completion.TokenIds,
                    LogProbs = completion.LogProbs,
                    FinishReason = completion.FinishReason,
                    Reward = score.Reward,
                    ComponentsJson = ComponentsToJson(score.Components),
                    Verdict = StoredText.Safe(score.Verdict),
                };
            }).ToList(),
        };
    }

    public static RolloutGroupScored ToMessage(ScoredGroup group)
    {
        var completions = group.Completions.OrderBy(c => c.Index).ToList();
        return new RolloutGroupScored
        {
            RunId = group.RunId,
            BatchId = group.BatchId,
            PromptId = group.PromptId,
            PolicyVersion = group.PolicyVersion,
            Prompt = new RolloutPrompt
            {
                PromptId = group.PromptId,
                Text = group.PromptText,
                Task = group.Task,
                Reference = group.Reference,
            },
            Completions = completions.Select(c => new Completion
            {
                Index = c.Index,
                Text = c.Text,
                TokenIds = c.TokenIds,
                LogProbs = c.LogProbs,
                FinishReason = c.FinishReason,
            }).ToList(),
            Scores = completions.Select(c => new CompletionScore
            {
                Index = c.Index,
                Reward = c.Reward,
                Components = ComponentsFromJson(c.ComponentsJson),
                Verdict = c.Verdict,
            }).ToList(),
        };
    }

    /// <summary>A score's named components as stored: a JSON object, e.g. {"accuracy":1,"format":1}.</summary>
    public static string ComponentsToJson(IReadOnlyDictionary<string, double> components) => JsonSerializer.Serialize(components, Json);

    public static IReadOnlyDictionary<string, double> ComponentsFromJson(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, double>>(json, Json) ?? throw new FormatException($"stored reward components are null: {json}");
}

using Pipeline.Contracts;
using Pipeline.Data;
using Pipeline.Tests.Data.Contract;

namespace Pipeline.Tests.Data;

public sealed class ScoredGroupMapperTests
{
    static readonly DateTimeOffset Now = new(2026, 5, 6, 7, 8, 9, TimeSpan.Zero);

    [Fact]
    public void A_group_maps_to_rows_and_back_unchanged()
    {
        var group = Samples.Group(Guid.NewGuid(), batchId: 4, promptId: 2, policyVersion: 3);

        var entity = ScoredGroupMapper.ToEntity(group, stale: true, Now);
        var back = ScoredGroupMapper.ToMessage(entity);

        Assert.True(entity.Stale);
        Assert.Equal(Now, entity.ReceivedAt);
        Assert.Equal("""{"accuracy":1,"format":0}""", entity.Completions[0].ComponentsJson);
        Assert.Equal((group.RunId, group.BatchId, group.PromptId, group.PolicyVersion, group.Prompt),
            (back.RunId, back.BatchId, back.PromptId, back.PolicyVersion, back.Prompt));
        Assert.Equal(group.Completions, back.Completions, (a, b) =>
            a.Index == b.Index && a.Text == b.Text && a.FinishReason == b.FinishReason
            && a.TokenIds.SequenceEqual(b.TokenIds) && a.LogProbs.SequenceEqual(b.LogProbs));
        Assert.Equal(group.Scores.Select(s => (s.Index, s.Reward, s.Verdict, s.Components["format"])),
            back.Scores.Select(s => (s.Index, s.Reward, s.Verdict, s.Components["format"])));
    }

    [Fact]
    public void Scores_are_joined_to_completions_by_index_not_by_position()
    {
        var group = Samples.Group(Guid.NewGuid(), 1, 1);
        var reversed = group with { Scores = group.Scores.Reverse().ToList() };

        var entity = ScoredGroupMapper.ToEntity(reversed, stale: false, Now);

        Assert.Equal(group.Scores.Select(s => s.Reward), entity.Completions.Select(c => c.Reward));
    }

    [Fact]
    public void A_group_whose_scores_do_not_match_its_completions_is_refused()
    {
        var group = Samples.Group(Guid.NewGuid(), 1, 1);
        var missing = group with { Scores = group.Scores.Skip(1).ToList() };
        var doubled = group with { Scores = [.. group.Scores.Take(3), group.Scores[0]] };
        var otherPrompt = group with { Prompt = group.Prompt with { PromptId = 99 } };

        Assert.Contains("4 completions but 3 scores", Assert.Throws<ArgumentException>(() => ScoredGroupMapper.ToEntity(missing, false, Now)).Message);
        Assert.Contains("scores completion 0 twice", Assert.Throws<ArgumentException>(() => ScoredGroupMapper.ToEntity(doubled, false, Now)).Message);
        Assert.Contains("carries prompt 99", Assert.Throws<ArgumentException>(() => ScoredGroupMapper.ToEntity(otherPrompt, false, Now)).Message);
    }
}

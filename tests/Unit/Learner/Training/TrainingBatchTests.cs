using Pipeline.Learner.Grpo;
using Pipeline.Learner.Training;
using Pipeline.Policy.Tokenization;
using static Pipeline.Tests.Unit.Learner.Training.ScoredGroups;

namespace Pipeline.Tests.Unit.Learner.Training;

public sealed class TrainingBatchTests
{
    // Advantages are computed in double and stored as float: agreement to float precision is all there is.
    const float Tolerance = 1e-6f;

    [Fact]
    public void The_overlong_penalty_is_part_of_the_reward_and_can_give_an_all_correct_group_a_signal()
    {
        // max 8 tokens, buffer 4: no penalty up to 4 tokens, then −1 · (tokens − 4) / 4, at most −1
        // tokens 3, 6, 10 → penalties 0, −0.5, −1 → rewards 1, 0.5, 0 (the verifier gave each 1)
        // mean 0.5, deviations 0.5, 0, −0.5; unbiased variance 0.5 / 2 = 0.25, std 0.5, divisor 0.5001
        // advantages ±0.5 / 0.5001 = ±0.9998000400, and 0
        var options = new GrpoOptions { OverlongBuffer = 4, OverlongPenaltyFactor = 1.0 };
        var group = Group("1+1", InOrder((3, 1.0), (6, 1.0), (10, 1.0)));

        var rewards = TrainingBatch.Rewards(group, options, maxTokens: 8);
        var batch = TrainingBatch.Build([group], options, maxTokens: 8, PromptTokens.Bytes);

        Assert.Equal([1.0, 0.5, 0.0], rewards);
        Assert.Equal(1, batch.GroupsUsed);
        AssertClose([0.9998000400f, 0f, -0.9998000400f], batch.Advantages);
    }

    [Fact]
    public void A_group_whose_rewards_are_all_equal_is_dropped_and_the_others_keep_their_rows_in_order()
    {
        // group "a" [1, 0]: mean 0.5, unbiased std √0.5 = 0.7071067812, divisor 0.7072067812
        //   advantages ±0.5 / 0.7072067812 = ±0.7070067953
        // group "b" [1, 1]: no signal, dropped
        // group "c" [0, 0, 1]: mean 1/3, deviations −1/3, −1/3, 2/3; unbiased variance (1/9 + 1/9 + 4/9) / 2 = 1/3
        //   std 0.5773502692, divisor 0.5774502692; advantages −0.5772502865, −0.5772502865, 1.1545005730
        var groups = new[]
        {
            Group("a", InOrder((2, 1.0), (3, 0.0))),
            Group("b", InOrder((1, 1.0), (1, 1.0))),
            Group("c", InOrder((1, 0.0), (2, 0.0), (4, 1.0))),
        };

        var batch = TrainingBatch.Build(groups, new GrpoOptions(), maxTokens: 8, PromptTokens.Bytes);

        Assert.Equal((2, 1), (batch.GroupsUsed, batch.GroupsDropped));
        Assert.False(batch.IsEmpty);
        var a = PromptTokens.Bytes.ForRenderedPrompt("a");
        var c = PromptTokens.Bytes.ForRenderedPrompt("c");
        Assert.Equal([a, a, c, c, c], batch.Prompts);
        Assert.Equal([Tokens(2), Tokens(3), Tokens(1), Tokens(2), Tokens(4)], batch.Completions);
        Assert.Equal([LogProbs(2), LogProbs(3), LogProbs(1), LogProbs(2), LogProbs(4)], batch.BehaviourLogProbs);
        AssertClose([0.7070067953f, -0.7070067953f, -0.5772502865f, -0.5772502865f, 1.1545005730f], batch.Advantages);
    }

    [Fact]
    public void Rows_follow_the_completion_index_whatever_order_completions_and_scores_arrive_in()
    {
        // index 0, 1, 2 have 1, 2, 3 tokens and rewards 0, 1, 0; completions arrive as 2, 0, 1 and scores as 1, 2, 0
        // rewards [0, 1, 0]: mean 1/3, divisor 0.5774502692 as above; advantages −0.5772502865, 1.1545005730, −0.5772502865
        Sample[] samples =
        [
            new(2, Tokens(3), LogProbs(3), 0.0),
            new(0, Tokens(1), LogProbs(1), 0.0),
            new(1, Tokens(2), LogProbs(2), 1.0),
        ];
        var group = Group("q", samples, scoreOrder: [2, 0, 1]);

        var rewards = TrainingBatch.Rewards(group, new GrpoOptions(), maxTokens: 8);
        var batch = TrainingBatch.Build([group], new GrpoOptions(), maxTokens: 8, PromptTokens.Bytes);

        Assert.Equal([0.0, 1.0, 0.0], rewards);
        Assert.Equal([Tokens(1), Tokens(2), Tokens(3)], batch.Completions);
        Assert.Equal([LogProbs(1), LogProbs(2), LogProbs(3)], batch.BehaviourLogProbs);
        AssertClose([-0.5772502865f, 1.1545005730f, -0.5772502865f], batch.Advantages);
    }

    [Fact]
    public void Without_dynamic_sampling_a_group_of_equal_rewards_is_kept_with_zero_advantages()
    {
        // [1, 1] → exact zeros; [1, 0] → ±0.7070067953 as above
        var groups = new[] { Group("a", InOrder((1, 1.0), (1, 1.0))), Group("b", InOrder((1, 1.0), (1, 0.0))) };

        var batch = TrainingBatch.Build(groups, new GrpoOptions { DynamicSampling = false }, maxTokens: 8, PromptTokens.Bytes);

        Assert.Equal((2, 0), (batch.GroupsUsed, batch.GroupsDropped));
        AssertClose([0f, 0f, 0.7070067953f, -0.7070067953f], batch.Advantages);
    }

    [Fact]
    public void The_batch_scale_is_taken_over_the_kept_groups_only()
    {
        // kept [1, 0] alone: batch std √0.5, advantages ±0.7070067953 (as the group scale would give)
        // had the dropped [1, 1] counted, [1, 0, 1, 1] would give std 0.5 and ±0.5 / 0.5001 = ±0.9998000400
        var groups = new[] { Group("a", InOrder((1, 1.0), (1, 0.0))), Group("b", InOrder((1, 1.0), (1, 1.0))) };

        var batch = TrainingBatch.Build(groups, new GrpoOptions { AdvantageScale = AdvantageScale.Batch }, maxTokens: 8, PromptTokens.Bytes);

        AssertClose([0.7070067953f, -0.7070067953f], batch.Advantages);
    }

    [Theory]
    [InlineData(AdvantageScale.Group, true)]
    [InlineData(AdvantageScale.Batch, true)]
    [InlineData(AdvantageScale.Batch, false)]
    public void Advantages_by_group_are_the_rows_advantages_with_null_for_a_dropped_group(AdvantageScale scale, bool dynamicSampling)
    {
        // Scores arrive out of order in "c": both must follow completion-index order.
        var groups = new[]
        {
            Group("a", InOrder((3, 1.0), (6, 1.0), (10, 0.0))),
            Group("b", InOrder((1, 1.0), (1, 1.0))),
            Group("c", InOrder((2, 0.0), (2, 0.25), (9, 1.0)), scoreOrder: [2, 0, 1]),
        };
        var options = new GrpoOptions { AdvantageScale = scale, DynamicSampling = dynamicSampling, OverlongBuffer = 4 };

        var batch = TrainingBatch.Build(groups, options, maxTokens: 8, PromptTokens.Bytes);
        var byGroup = TrainingBatch.AdvantagesByGroup(groups, options, maxTokens: 8);

        Assert.Equal(groups.Length, byGroup.Count);
        Assert.Equal(batch.Dropped, Enumerable.Range(0, groups.Length).Where(i => byGroup[i] is null));
        Assert.Equal(batch.Advantages, byGroup.Where(a => a is not null).SelectMany(a => a!));
    }

    [Fact]
    public void A_batch_of_only_equal_reward_groups_is_empty()
    {
        var groups = new[] { Group("a", InOrder((1, 1.0), (2, 1.0))), Group("b", InOrder((1, 0.0), (3, 0.0))) };

        var batch = TrainingBatch.Build(groups, new GrpoOptions(), maxTokens: 8, PromptTokens.Bytes);

        Assert.True(batch.IsEmpty);
        Assert.Equal((0, 2), (batch.GroupsUsed, batch.GroupsDropped));
        Assert.Empty(batch.Completions);
        Assert.Empty(batch.Advantages);
    }

    static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], Tolerance);
    }
}

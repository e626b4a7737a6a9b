using Pipeline.Policy.Training;

namespace Pipeline.Tests.Unit.Policy;

public sealed class MicroBatchesTests
{
    [Fact]
    public void A_batch_within_the_budget_stays_one_chunk_in_its_own_order() =>
        Assert.Equal([[0, 1, 2]], MicroBatches.Plan([5, 3, 4], [2, 9, 1], budget: 3 * (5 + 9)));

    [Fact]
    public void A_batch_over_the_budget_is_cut_by_length()
    {
        // Rows 0..3 have 2 prompt tokens and 1, 10, 2, 9 completion tokens: 4 × (2 + 10) = 48 positions padded
        // together. Sorted by length 0 (3), 2 (4), 3 (11), 1 (12): rows 0 and 2 take 2 × 4 = 8; adding row 3 would make
        // 3 × 11 = 33 > 30, so it starts the next chunk, and with row 1 that is 2 × 12 = 24.
        Assert.Equal([[0, 2], [3, 1]], MicroBatches.Plan([2, 2, 2, 2], [1, 10, 2, 9], budget: 30));
    }

    [Fact]
    public void A_row_longer_than_the_budget_is_a_chunk_of_its_own()
    {
        Assert.Equal([[1], [0]], MicroBatches.Plan([40, 1], [40, 1], budget: 10));
    }

    [Fact]
    public void Every_row_is_in_exactly_one_chunk_and_every_chunk_of_two_or_more_fits()
    {
        var random = new Random(5);
        int[] prompts = [.. Enumerable.Range(0, 200).Select(_ => random.Next(1, 120))];
        int[] completions = [.. Enumerable.Range(0, 200).Select(_ => random.Next(0, 400))];
        var chunks = MicroBatches.Plan(prompts, completions, budget: 4096);
        Assert.Equal(Enumerable.Range(0, 200), chunks.SelectMany(c => c).Order());
        Assert.All(chunks.Where(c => c.Length > 1), c =>
            Assert.True(c.Length * (c.Max(r => prompts[r]) + Math.Max(1, c.Max(r => completions[r]))) <= 4096));
    }

    [Fact]
    public void A_chunk_s_row_length_is_its_longest_prompt_plus_its_longest_completion_and_at_least_one_column()
    {
        // rows 0 and 2: prompts 3 and 5, completions 7 and 0 → 5 + 7; row 2 alone: 5 + max(1, 0)
        Assert.Equal(12, MicroBatches.Length([0, 2], [3, 9, 5], [7, 1, 0]));
        Assert.Equal(6, MicroBatches.Length([2], [3, 9, 5], [7, 1, 0]));
    }
}

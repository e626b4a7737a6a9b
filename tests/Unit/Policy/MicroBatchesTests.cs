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
}

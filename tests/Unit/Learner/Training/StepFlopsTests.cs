using Pipeline.Learner.Training;
using Pipeline.Policy.Model;
using Pipeline.Tests.Unit.Policy;

namespace Pipeline.Tests.Unit.Learner.Training;

/// <summary>A step's FLOPs on a two-row batch by hand. Per token 2464 FLOPs through the linear layers and head, 64
/// per (query, key) pair (the shape of <c>ModelFlopsTests</c>).</summary>
public sealed class StepFlopsTests
{
    static readonly PolicyConfig Small = ModelFlopsTests.Small;

    [Fact]
    public void Padded_and_real_flops_of_a_step_with_a_reference()
    {
        int[][] prompts = [[5, 6], [5, 6, 7]];
        int[][] completions = [[8], [8, 9, 1]];

        var (padded, real) = StepFlops.Of(Small, prompts, completions, withReference: true, microBatchTokens: 8192);

        // Layout 2 rows × (3 + 3): 12 tokens, 2·6·6 = 72 pairs → 12·2464 + 72·64 = 34,176 per forward.
        Assert.Equal(new StepFlops(34_176, 68_352, 34_176), padded);
        Assert.Equal(136_704, padded.Total);
        // Real lengths 3 and 6: 9 tokens, 6 + 21 = 27 pairs → 9·2464 + 27·64 = 23,904 per forward.
        Assert.Equal(new StepFlops(23_904, 47_808, 23_904), real);
        Assert.Equal(95_616, real.Total);
    }

    [Fact]
    public void Without_a_reference_the_step_is_the_policy_s_forward_and_backward()
    {
        var (_, real) = StepFlops.Of(Small, [[5, 6], [5, 6, 7]], [[8], [8, 9, 1]], withReference: false, microBatchTokens: 8192);
        Assert.Equal(0, real.Reference);
        Assert.Equal(3 * 23_904, real.Total);
    }

    [Fact]
    public void Empty_completions_still_take_the_layout_s_one_completion_column()
    {
        var (padded, real) = StepFlops.Of(Small, [[5, 6]], [[]], withReference: false, microBatchTokens: 8192);
        Assert.Equal(3 * 2464 + 9 * 64, padded.PolicyForward);   // 1 × (2 + 1): 3 tokens, 9 pairs
        Assert.Equal(2 * 2464 + 3 * 64, real.PolicyForward);     // 2 tokens, 3 pairs
    }
}

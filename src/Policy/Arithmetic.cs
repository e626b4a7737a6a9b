using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Policy;

/// <summary>
/// Tensor sums and squares with no operand the GC can free mid-call. TorchSharp's <c>a + b</c> calls <c>add(b, 1)</c> (its <c>sub</c> has
/// no alpha, so <c>a - b</c> is safe): the <c>1</c> becomes a fresh alpha <see cref="Scalar"/> that nothing references
/// once its handle has been read, the race <see cref="Scalars"/> describes. It surfaced in the demo as "Expected false to
/// be true … toBFloat16" from a decoder layer's residual sum in an evaluation job while the learner trained (Hangfire
/// retried the job). These take the alpha from <see cref="Scalars"/> instead; the hot paths — the decoder, sampling, the
/// GRPO loss — use it. <see cref="Squared"/> likewise: TorchSharp's <c>square()</c> is <c>pow(2)</c> with a temporary
/// <see cref="Scalar"/>, and a demo run failed in <c>RmsNorm</c>'s reference pass with "INTERNAL ASSERT FAILED at
/// c10/core/Scalar.h" from <c>pow_Tensor_Scalar</c>.
/// </summary>
public static class Arithmetic
{
    /// <summary>a + b (the alpha an integer 1, valid for every dtype).</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, Scalars.Of(1L));

    /// <summary>a + b for a number b held in <see cref="Scalars"/>.</summary>
    public static Tensor Plus(this Tensor a, Scalar b) => a.add(b, Scalars.Of(1L));

    /// <summary>x², as x · x: no scalar operand at all.</summary>
    public static Tensor Squared(this Tensor x) => x.mul(x);
}

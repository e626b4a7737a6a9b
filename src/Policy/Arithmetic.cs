using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Policy;

/// <summary>
/// Tensor sums with an operand that stays alive. TorchSharp's <c>a + b</c> calls <c>add(b, 1)</c> (its <c>sub</c> has
/// no alpha, so <c>a - b</c> is safe): the <c>1</c> becomes a fresh alpha <see cref="Scalar"/> that nothing references
/// once its handle has been read, the race <see cref="Scalars"/> describes. It surfaced in the demo as "Expected false to
/// be true … toBFloat16" from a decoder layer's residual sum in an evaluation job while the learner trained (Hangfire
/// retried the job). These take the alpha from <see cref="Scalars"/> instead; the hot paths — the decoder, sampling, the
/// GRPO loss — use it.
/// </summary>
public static class Arithmetic
{
    /// <summary>a + b (the alpha an integer 1, valid for every dtype).</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, Scalars.Of(1L));

    /// <summary>a + b for a number b held in <see cref="Scalars"/>.</summary>
    public static Tensor Plus(this Tensor a, Scalar b) => a.add(b, Scalars.Of(1L));
}

using System.Collections.Concurrent;
using TorchSharp;

namespace Pipeline.Policy;

/// <summary>
/// Scalar operands that stay alive. TorchSharp turns a number passed to a tensor operation (<c>x + 1</c>,
/// <c>masked_fill(m, 0.0)</c>, <c>pow(2)</c>) into a <see cref="Scalar"/> that nothing references once its native handle
/// has been read, and a <see cref="Scalar"/>'s finalizer frees that native value. In fully optimised code a garbage
/// collection on another thread can therefore finalize the operand while libtorch is still reading it: in the demo this
/// surfaced as "INTERNAL ASSERT FAILED at c10/core/Scalar.h" in an evaluation's <c>pow(2)</c> while the learner trained.
/// The hot paths take their constant operands from here instead: one native value per distinct number, held for the
/// life of the process. Only for the few constants of a model or a run (0, 1, ε, the temperature, clip bounds) —
/// never for per-call values, which would grow the cache without bound.
/// </summary>
public static class Scalars
{
    static readonly ConcurrentDictionary<long, Scalar> Integers = new();
    static readonly ConcurrentDictionary<double, Scalar> Reals = new();

    /// <summary>An integer operand (an int64 tensor stays int64).</summary>
    public static Scalar Of(long value) => Integers.GetOrAdd(value, v => v.ToScalar());

    /// <summary>A floating-point operand.</summary>
    public static Scalar Of(double value) => Reals.GetOrAdd(value, v => v.ToScalar());
}

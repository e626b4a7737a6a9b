using System.Runtime;

namespace Pipeline.Policy;

/// <summary>
/// Runs library tensor code that passes temporary <c>Scalar</c>s to libtorch with no garbage collection allowed to
/// start meanwhile. TorchSharp's optimizers and <c>clip_grad_norm_</c> turn their per-step numbers (learning rate, bias
/// corrections, ε, the clip coefficient) into <c>Scalar</c>s that nothing references once their native handles are read,
/// so a collection started by another thread during the native call may finalize one while libtorch reads it (see
/// <see cref="Scalars"/>, which covers Pipeline's own operands): a demo-sized run failed in <c>AdamW.step</c> with
/// "Unknown scalar type" from <c>add_</c>. Objects the work allocates cannot be collected, hence not finalized, before
/// the region ends; <see cref="GC.TryStartNoGCRegion(long)"/> may collect first to make room for
/// <see cref="BudgetBytes"/>. Where a region cannot start (one is already open, on another thread), the work runs
/// without one.
/// </summary>
public static class NoCollectionRegion
{
    /// <summary>Managed bytes the whole process may allocate during the work before the runtime must collect (and ends
    /// the region): an optimizer step allocates kilobytes, the other threads little in its milliseconds.</summary>
    public const long BudgetBytes = 32L << 20;

    static readonly Lock Gate = new();

    public static void Run(Action work) => Run<object?>(() =>
    {
        work();
        return null;
    });

    public static T Run<T>(Func<T> work)
    {
        lock (Gate)
        {
            bool started = Start();
            try
            {
                return work();
            }
            finally
            {
                // The runtime ends the region itself if the budget ran out; ending it again would throw.
                if (started && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) GC.EndNoGCRegion();
            }
        }
    }

    static bool Start()
    {
        try
        {
            return GC.TryStartNoGCRegion(BudgetBytes);
        }
        catch (InvalidOperationException)
        {
            return false;                                               // a region is already open
        }
    }
}

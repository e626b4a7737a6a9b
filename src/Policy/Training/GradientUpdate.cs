using Pipeline.Policy.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Policy.Training;

/// <summary>The end of a training step, pretraining's and GRPO's alike: the gradients clipped to a maximum norm, then
/// the optimizer's step.</summary>
public static class GradientUpdate
{
    /// <summary>Clips at <paramref name="maxGradNorm"/> and steps, with no garbage collection starting meanwhile:
    /// TorchSharp passes their per-step numbers to libtorch as temporary scalars (<see cref="NoCollectionRegion"/>).</summary>
    /// <returns>the gradients' norm before clipping</returns>
    public static double Apply(CausalLm policy, optim.Optimizer optimizer, double maxGradNorm) => NoCollectionRegion.Run(() =>
    {
        using var scope = NewDisposeScope();
        double norm = nn.utils.clip_grad_norm_(policy.parameters(), maxGradNorm);
        optimizer.step();
        return norm;
    });
}

namespace Pipeline.Learner.Training;

/// <summary>Where one <see cref="GrpoTrainer.Step"/>'s seconds went: building the batch (advantages, token rows, the
/// layout), the reference's forward pass, the policy's forward pass with the loss, the backward pass, and the
/// optimizer (gradient clipping and AdamW). Wall-clock between the phases: exact on the CPU, where libtorch runs each
/// operation before returning; on a GPU, queued kernels would be charged to the phase that waits for them.</summary>
public sealed record StepPhases(double Batch, double Reference, double PolicyForward, double PolicyBackward, double Optimizer);

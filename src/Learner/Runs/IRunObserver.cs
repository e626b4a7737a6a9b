using Pipeline.Learner.Evaluation;
using Pipeline.Learner.Training;

namespace Pipeline.Learner.Runs;

/// <summary>Hears what a run does, for progress displays. Called on the learner's thread: return quickly.</summary>
public interface IRunObserver
{
    void OnStep(Guid runId, int batchId, int policyVersion, StepResult step, double tokensPerSecond) { }

    void OnEvaluation(Guid runId, int policyVersion, PolicyScore score) { }
}

using Microsoft.EntityFrameworkCore.Storage;
using Npgsql.EntityFrameworkCore.PostgreSQL;

namespace Pipeline.Data;

/// <summary>Npgsql's retrying execution strategy, which also retries a unit of work whose transaction was lost with
/// its connection (<see cref="TransactionLostException"/>): Npgsql reports that as a misuse of the transaction, not as
/// a transient failure, so without this a database restart in the middle of a unit failed its caller (a learner's
/// record of a step, and with it the run).</summary>
public sealed class PipelineRetryingExecutionStrategy(ExecutionStrategyDependencies dependencies, int maxRetryCount, TimeSpan maxRetryDelay)
    : NpgsqlRetryingExecutionStrategy(dependencies, maxRetryCount, maxRetryDelay, errorCodesToAdd: null)
{
    protected override bool ShouldRetryOn(Exception? exception) =>
        exception is TransactionLostException || base.ShouldRetryOn(exception);
}

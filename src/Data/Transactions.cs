using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Pipeline.Data;

/// <summary>Explicit transactions under a retrying execution strategy. Npgsql's strategy retries a whole unit of work,
/// so the unit is the transaction: every try gets a fresh context and a fresh transaction, and a try whose commit
/// reached the server while the client saw an error is recognised by <c>committed</c> instead of being written twice.
/// A try whose transaction Npgsql refuses because its connection was lost is retried too (<see cref="TransactionLostException"/>).</summary>
public static class Transactions
{
    /// <param name="work">the writes, on the context it is given; committed after it returns</param>
    /// <param name="committed">asked after a failed commit: whether the work is in the database after all</param>
    public static async Task InTransactionAsync(
        this IDbContextFactory<PipelineDbContext> contexts,
        Func<PipelineDbContext, CancellationToken, Task> work,
        Func<PipelineDbContext, CancellationToken, Task<bool>> committed,
        CancellationToken cancellationToken)
    {
        await using var strategyContext = await contexts.CreateDbContextAsync(cancellationToken);
        var strategy = strategyContext.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(
            state: 0,
            operation: async (_, _, ct) =>
            {
                await using var db = await contexts.CreateDbContextAsync(ct);
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                try
                {
                    await work(db, ct);
                    await transaction.CommitAsync(ct);
                }
                catch (Exception e) when (TransactionLostException.Ended(e, transaction))
                {
                    throw new TransactionLostException(e);
                }
                return true;
            },
            verifySucceeded: async (_, _, ct) =>
            {
                await using var db = await contexts.CreateDbContextAsync(ct);
                return new ExecutionResult<bool>(await committed(db, ct), true);
            },
            cancellationToken);
    }
}

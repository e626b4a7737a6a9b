using Microsoft.EntityFrameworkCore.Storage;

namespace Pipeline.Data;

/// <summary>Npgsql refused the transaction a unit of work began and had neither committed nor rolled back: the
/// connection under it was lost (PostgreSQL stopped, or was restarted, in the middle of the unit). Seen as "Transaction
/// is already completed" on the unit's next command and as an <see cref="ObjectDisposedException"/> of the
/// transaction at its commit, when several connections of the pool fail at once. <see cref="Transactions.InTransactionAsync"/>
/// runs the unit again, as after any other lost connection: it first asks whether the unit committed after all, then
/// tries it on a new connection (<see cref="PipelineRetryingExecutionStrategy"/>).</summary>
public sealed class TransactionLostException(Exception refusal)
    : Exception($"the database connection was lost in the middle of a transaction ({refusal.Message})", refusal)
{
    /// <summary>Whether <paramref name="exception"/>, thrown by a unit of work inside its own open transaction, is the
    /// provider refusing that transaction because it has ended underneath the unit. Asked of the transaction, not of the
    /// exception: by ADO.NET's convention a transaction that has completed throws on <c>IsolationLevel</c> ("no longer
    /// usable"), and one that is disposed throws <see cref="ObjectDisposedException"/>.</summary>
    public static bool Ended(Exception exception, IDbContextTransaction transaction)
    {
        if (exception is not (InvalidOperationException or ObjectDisposedException)) return false;
        try
        {
            _ = transaction.GetDbTransaction().IsolationLevel;
            return false;
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
        {
            return true;
        }
    }
}

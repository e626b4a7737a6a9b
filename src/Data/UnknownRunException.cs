namespace Pipeline.Data;

/// <summary>A message refers to a run this database does not hold: the run was deleted, the database was replaced
/// under a broker that kept its queues, or another deployment shares the broker's virtual host. Retrying cannot help;
/// the message belongs in the error queue, with this reason.</summary>
public sealed class UnknownRunException(Guid runId, string what, Exception? inner = null)
    : Exception($"{what} refers to run {runId}, which this database does not hold (deleted, or from another deployment sharing the broker's virtual host)", inner)
{
    public Guid RunId { get; } = runId;
}

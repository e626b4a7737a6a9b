namespace Pipeline.Policy.Training;

/// <summary>Splits a batch of sequences into micro-batches whose padded layout (rows × (longest prompt + longest
/// completion), as <see cref="Model.TokenLayout"/> lays them out) stays within a token budget, by sorting the rows by
/// length and cutting greedily. Pure; the rows come back as indices into the batch.</summary>
public static class MicroBatches
{
    /// <returns>every row exactly once; one chunk with the rows in their own order when the whole batch fits</returns>
    public static IReadOnlyList<int[]> Plan(IReadOnlyList<int> promptLengths, IReadOnlyList<int> completionLengths, int budget)
    {
        if (promptLengths.Count != completionLengths.Count) throw new ArgumentException("one completion length per prompt length is required");
        int rows = promptLengths.Count;
        if (rows == 0) return [];
        if (Padded(Enumerable.Range(0, rows).ToList(), promptLengths, completionLengths) <= budget) return [Enumerable.Range(0, rows).ToArray()];

        var order = Enumerable.Range(0, rows).OrderBy(r => promptLengths[r] + completionLengths[r]).ThenBy(r => r).ToArray();
        var chunks = new List<int[]>();
        var current = new List<int>();
        foreach (int row in order)
        {
            current.Add(row);
            if (current.Count > 1 && Padded(current, promptLengths, completionLengths) > budget)
            {
                current.RemoveAt(current.Count - 1);
                chunks.Add([.. current]);
                current = [row];
            }
        }
        chunks.Add([.. current]);
        return chunks;
    }

    /// <summary>The row length of <paramref name="rows"/> laid out together: the longest prompt plus the longest
    /// completion, at least one completion column (as <see cref="Model.TokenLayout"/> lays them out).</summary>
    public static int Length(IReadOnlyList<int> rows, IReadOnlyList<int> promptLengths, IReadOnlyList<int> completionLengths) =>
        rows.Max(r => promptLengths[r]) + Math.Max(1, rows.Max(r => completionLengths[r]));

    static long Padded(List<int> rows, IReadOnlyList<int> promptLengths, IReadOnlyList<int> completionLengths) =>
        (long)rows.Count * Length(rows, promptLengths, completionLengths);
}

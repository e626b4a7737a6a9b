using static TorchSharp.torch;

namespace Pipeline.Policy.Model;

/// <summary>The one batch layout used for sampling and training alike: prompts left-padded to a common length,
/// completions appended and right-padded, <c>[pad … prompt | completion … pad]</c>. Every completion then starts at
/// the same column, positions count real tokens only (so every sequence starts at position 0), and the log-probs a
/// training pass computes are those the sampler computed, token for token.</summary>
public sealed class TokenLayout : IDisposable
{
    TokenLayout(Tensor ids, Tensor keyMask, Tensor completionMask, int promptLength)
    {
        Ids = ids;
        KeyMask = keyMask;
        CompletionMask = completionMask;
        PromptLength = promptLength;
    }

    /// <summary>(B, Lp + Lc) int64.</summary>
    public Tensor Ids { get; }

    /// <summary>(B, Lp + Lc) bool: true at real tokens.</summary>
    public Tensor KeyMask { get; }

    /// <summary>(B, Lc) float: 1 at real completion tokens.</summary>
    public Tensor CompletionMask { get; }

    /// <summary>Lp: the column where completions start.</summary>
    public int PromptLength { get; }

    public int CompletionLength => (int)CompletionMask.shape[1];

    /// <param name="device">where the tensors go (the policy's device); the CPU when not given</param>
    public static TokenLayout Build(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> completions, int padId, Device? device = null)
    {
        if (prompts.Count != completions.Count) throw new ArgumentException("one completion per prompt is required");
        int rows = prompts.Count;
        int lp = prompts.Max(p => p.Length), lc = Math.Max(1, completions.Max(c => c.Length));
        var ids = new long[rows * (lp + lc)];
        var keys = new bool[rows * (lp + lc)];
        var completionMask = new float[rows * lc];
        Array.Fill(ids, padId);
        for (int r = 0; r < rows; r++)
        {
            int offset = r * (lp + lc) + lp - prompts[r].Length;
            for (int i = 0; i < prompts[r].Length; i++) { ids[offset + i] = prompts[r][i]; keys[offset + i] = true; }
            offset = r * (lp + lc) + lp;
            for (int i = 0; i < completions[r].Length; i++)
            {
                ids[offset + i] = completions[r][i];
                keys[offset + i] = true;
                completionMask[r * lc + i] = 1f;
            }
        }
        return new TokenLayout(
            tensor(ids, [rows, lp + lc], device: device).DetachFromDisposeScope(),
            tensor(keys, [rows, lp + lc], device: device).DetachFromDisposeScope(),
            tensor(completionMask, [rows, lc], device: device).DetachFromDisposeScope(),
            lp);
    }

    public void Dispose()
    {
        Ids.Dispose();
        KeyMask.Dispose();
        CompletionMask.Dispose();
    }
}

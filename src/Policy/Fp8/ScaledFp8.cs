using static TorchSharp.torch;

namespace Pipeline.Policy.Fp8;

/// <summary>How a <see cref="ScaledFp8"/> shares its scales: one per 1×<c>TileSize</c> tile of a row (activations
/// and gradients), or one per <c>TileSize</c>×<c>TileSize</c> block (weights).</summary>
public enum Fp8Scaling
{
    TileWise,
    BlockWise,
}

/// <summary>A 2-D tensor in FP8 with its FP32 scales stored beside it: value ≈ <see cref="Data"/> × scale of its
/// tile or block. The last tile of a row (and the last row of blocks) may be ragged: scales cover
/// ⌈cols/TileSize⌉ tiles and nothing is stored for the padding. Owns its tensors.</summary>
public sealed class ScaledFp8 : IDisposable
{
    public ScaledFp8(Tensor data, Tensor scale, Fp8Scaling scaling, int tileSize, Fp8Format format)
    {
        Data = data;
        Scale = scale;
        Scaling = scaling;
        TileSize = tileSize;
        Format = format;
    }

    /// <summary>(R, C) in the FP8 dtype of <see cref="Format"/>.</summary>
    public Tensor Data { get; }

    /// <summary>float32: (R, ⌈C/TileSize⌉) tile-wise, (⌈R/TileSize⌉, ⌈C/TileSize⌉) block-wise. A tile or block
    /// that is all zeros has scale 1.</summary>
    public Tensor Scale { get; }

    public Fp8Scaling Scaling { get; }
    public int TileSize { get; }
    public Fp8Format Format { get; }

    /// <summary>The float32 values this FP8 tensor stands for: each code times its tile's or block's scale.</summary>
    public Tensor Dequantise()
    {
        using var scope = NewDisposeScope();
        long rows = Data.shape[0], cols = Data.shape[1];
        var values = Data.to(float32);
        if (Scaling == Fp8Scaling.TileWise && cols % TileSize == 0)  // whole tiles: broadcast, no expanded scales
            return (values.view(rows, cols / TileSize, TileSize) * Scale.unsqueeze(-1)).view(rows, cols).MoveToOuterDisposeScope();
        var perColumn = Scale.repeat_interleave(TileSize, dim: 1).narrow(1, 0, cols);                   // (R or ⌈R/t⌉, C)
        if (Scaling == Fp8Scaling.BlockWise) perColumn = perColumn.repeat_interleave(TileSize, dim: 0).narrow(0, 0, rows); // (R, C)
        return (values * perColumn).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        Data.Dispose();
        Scale.Dispose();
    }
}

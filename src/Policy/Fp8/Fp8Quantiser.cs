using static TorchSharp.torch;

namespace Pipeline.Policy.Fp8;

/// <summary>Fine-grained online quantisation of DeepSeek-V3 §3.3.2: the scale of each group is its maximum absolute
/// value over the format's largest finite value (amax/448 for E4M3), computed from the tensor itself at every
/// call, so one outlier only coarsens its own 128 values rather than the whole tensor.
/// <list type="bullet">
/// <item>activations and gradients: per 1×128 tile along a row (the GEMM's reduction dimension);</item>
/// <item>weights: per 128×128 block, which serves both <c>W</c> and <c>Wᵀ</c>.</item>
/// </list>
/// Values are divided by their scale, clamped to ±max (libtorch's cast does not saturate) and cast with
/// round-to-nearest-even by libtorch. A group of zeros gets scale 1 instead of 0/0.</summary>
public static class Fp8Quantiser
{
    /// <summary>DeepSeek-V3's group size N_C = 128: the tile width, the block side and the promotion interval.</summary>
    public const int TileSize = 128;

    /// <summary>Quantises a 2-D tensor with one scale per 1×<paramref name="tile"/> tile of each row.</summary>
    /// <param name="x">(R, C) float32; C need not be a multiple of <paramref name="tile"/> (the last tile is ragged)</param>
    public static ScaledFp8 TileWise(Tensor x, Fp8Format format = Fp8Format.E4M3, int tile = TileSize)
    {
        RequireMatrix(x);
        using var scope = NewDisposeScope();
        long rows = x.shape[0], cols = x.shape[1], tiles = (cols + tile - 1) / tile;
        var padded = PadTo(x.to(float32), rows, tiles * tile).view(rows, tiles, tile);        // (R, T, tile)
        var scale = Scales(padded.abs().amax([-1], keepdim: true), format);                   // (R, T, 1)
        var scaled = (padded / scale).view(rows, tiles * tile).narrow(1, 0, cols);           // (R, C)
        var data = Cast(scaled, format);
        return Keep(data, scale.view(rows, tiles), Fp8Scaling.TileWise, tile, format);
    }

    /// <summary>Quantises a 2-D tensor with one scale per <paramref name="block"/>×<paramref name="block"/> block;
    /// ragged edge blocks are scaled over the values they hold.</summary>
    /// <param name="w">(R, C) float32</param>
    public static ScaledFp8 BlockWise(Tensor w, Fp8Format format = Fp8Format.E4M3, int block = TileSize)
    {
        RequireMatrix(w);
        using var scope = NewDisposeScope();
        long rows = w.shape[0], cols = w.shape[1];
        long rowBlocks = (rows + block - 1) / block, colBlocks = (cols + block - 1) / block;
        var padded = PadTo(w.to(float32), rowBlocks * block, colBlocks * block)
            .view(rowBlocks, block, colBlocks, block);                                          // (Rb, b, Cb, b)
        var scale = Scales(padded.abs().amax([1, 3], keepdim: true), format);                  // (Rb, 1, Cb, 1)
        var scaled = (padded / scale).view(rowBlocks * block, colBlocks * block).narrow(0, 0, rows).narrow(1, 0, cols);
        var data = Cast(scaled, format);
        return Keep(data, scale.view(rowBlocks, colBlocks), Fp8Scaling.BlockWise, block, format);
    }

    /// <summary>The values an FP8 GEMM would see for <paramref name="x"/> under tile-wise scaling, in float32.</summary>
    public static Tensor TileWiseRoundTrip(Tensor x, Fp8Format format = Fp8Format.E4M3, int tile = TileSize)
    {
        using var quantised = TileWise(x, format, tile);
        return quantised.Dequantise();
    }

    /// <summary>The values an FP8 GEMM would see for <paramref name="w"/> under block-wise scaling, in float32.</summary>
    public static Tensor BlockWiseRoundTrip(Tensor w, Fp8Format format = Fp8Format.E4M3, int block = TileSize)
    {
        using var quantised = BlockWise(w, format, block);
        return quantised.Dequantise();
    }

    /// <summary>Clamps to the finite range and casts: already-scaled values (|v| ≤ max up to rounding) lose only
    /// their low mantissa bits.</summary>
    public static Tensor Cast(Tensor scaled, Fp8Format format = Fp8Format.E4M3)
    {
        float max = format.MaxFinite();
        using var clamped = scaled.clamp(-max, max);
        return clamped.to(format.DType());
    }

    static Tensor Scales(Tensor amax, Fp8Format format)
    {
        var scale = amax / format.MaxFinite();
        return where(scale > 0, scale, ones_like(scale));
    }

    static Tensor PadTo(Tensor x, long rows, long cols) =>
        rows == x.shape[0] && cols == x.shape[1] ? x : nn.functional.pad(x, [0, cols - x.shape[1], 0, rows - x.shape[0]]);

    static ScaledFp8 Keep(Tensor data, Tensor scale, Fp8Scaling scaling, int tile, Fp8Format format) =>
        new(data.MoveToOuterDisposeScope(), scale.contiguous().MoveToOuterDisposeScope(), scaling, tile, format);

    static void RequireMatrix(Tensor t)
    {
        if (t.dim() != 2) throw new ArgumentException($"FP8 quantisation takes a 2-D tensor, got shape [{string.Join(", ", t.shape)}]");
    }
}

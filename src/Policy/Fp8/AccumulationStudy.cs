using static TorchSharp.torch;

namespace Pipeline.Policy.Fp8;

/// <summary>Relative errors of one way of accumulating FP8 dot products, over the outputs of one GEMM: each output's
/// |c − c_ref| against an FP64 sum of the same quantised products, divided by the RMS of all reference outputs (an
/// output that happens to be near zero would otherwise dominate the maximum); the maximum and the mean.</summary>
public sealed record AccumulationErrors(double Max, double Mean);

/// <summary>One reduction length K of the accumulation study.</summary>
public sealed record AccumulationMeasurement(int K, int Outputs, AccumulationErrors Limited, AccumulationErrors Promoted,
    AccumulationErrors Fp32, AccumulationErrors LimitedTruncating, AccumulationErrors PromotedTruncating);

/// <summary>Why DeepSeek-V3 promotes partial sums (§3.3.2, "Increasing Accumulation Precision"): H800's FP8 tensor
/// cores keep only about 14 bits of the running sum, which costs about 2% relative error at K = 4096; copying the
/// partial sum of every N_C = 128 products into an FP32 accumulator bounds the damage. This simulates the three
/// accumulators on the dot products of an FP8 GEMM.
/// <para>
/// Operands: activations (M, K) drawn N(0, 1) with 0.2% outliers twenty times larger, times weights (N, K) drawn
/// N(0, 0.02²) — the shape of a transformer's hidden states against its projection weights — quantised to E4M3 with
/// 1×128 tile scales and 128×128 block scales. The products of the dequantised operands are exact in FP64 (4 + 4
/// significant bits times FP32 scales) and their FP64 sum is the reference, so only accumulation is measured.
/// </para>
/// <para>
/// The limited register rounds the running sum to <see cref="AccumulatorBits"/> significant bits after every
/// addition (round to nearest, ties to even). A truncating variant (bits dropped toward zero, as tensor cores'
/// aligned adders do in Fasi et al. 2021, "Numerical behavior of NVIDIA tensor cores") is measured beside it: its
/// error is biased, so it grows faster with K.
/// </para></summary>
public static class AccumulationStudy
{
    public const int AccumulatorBits = 14;
    public const int PromotionInterval = Fp8Quantiser.TileSize;

    /// <summary><paramref name="x"/> rounded to <paramref name="bits"/> significant bits, ties to even.</summary>
    public static double RoundToBits(double x, int bits) => Quantise(x, bits, truncate: false);

    /// <summary><paramref name="x"/> cut to <paramref name="bits"/> significant bits, toward zero.</summary>
    public static double TruncateToBits(double x, int bits) => Quantise(x, bits, truncate: true);

    /// <summary>Sums the products in a register of <paramref name="bits"/> significant bits; with
    /// <paramref name="promoteEvery"/> &gt; 0 the register's partial sum is added to an FP32 accumulator and cleared
    /// after every that many products.</summary>
    public static double Limited(ReadOnlySpan<double> products, int bits = AccumulatorBits, int promoteEvery = 0, bool truncate = false)
    {
        double register = 0;
        float promoted = 0;
        for (int i = 0; i < products.Length; i++)
        {
            register = Quantise(register + products[i], bits, truncate);
            if (promoteEvery > 0 && ((i + 1) % promoteEvery == 0 || i == products.Length - 1))
            {
                promoted = (float)(promoted + register);
                register = 0;
            }
        }
        return promoteEvery > 0 ? promoted : register;
    }

    /// <summary>Sums the products in an FP32 accumulator, each product rounded to FP32 first.</summary>
    public static double Fp32(ReadOnlySpan<double> products)
    {
        float sum = 0;
        foreach (var p in products) sum += (float)p;
        return sum;
    }

    /// <summary>Measures every accumulator on the <paramref name="rows"/>×<paramref name="cols"/> outputs of one
    /// GEMM with reduction length <paramref name="k"/>.</summary>
    public static AccumulationMeasurement Measure(int k, int rows, int cols, long seed)
    {
        double[] activations, weights;
        using (var scope = NewDisposeScope())
        {
            var generator = new Generator((ulong)seed);
            var x = randn([rows, k], generator: generator);
            var outlier = rand([rows, k], generator: generator) < 0.002f;
            x = where(outlier, x * 20f, x);
            var w = randn([cols, k], generator: generator) * 0.02f;
            activations = Fp8Quantiser.TileWiseRoundTrip(x).to(float64).data<double>().ToArray();
            weights = Fp8Quantiser.BlockWiseRoundTrip(w).to(float64).data<double>().ToArray();
        }
        var errors = new double[5][];
        for (int e = 0; e < errors.Length; e++) errors[e] = new double[rows * cols];
        var references = new double[rows * cols];
        var products = new double[k];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
            {
                double reference = 0;
                for (int n = 0; n < k; n++)
                {
                    products[n] = activations[i * k + n] * weights[j * k + n];
                    reference += products[n];
                }
                int o = i * cols + j;
                references[o] = reference;
                errors[0][o] = Math.Abs(Limited(products) - reference);
                errors[1][o] = Math.Abs(Limited(products, promoteEvery: PromotionInterval) - reference);
                errors[2][o] = Math.Abs(Fp32(products) - reference);
                errors[3][o] = Math.Abs(Limited(products, truncate: true) - reference);
                errors[4][o] = Math.Abs(Limited(products, promoteEvery: PromotionInterval, truncate: true) - reference);
            }
        double rms = Math.Sqrt(references.Average(r => r * r));
        var summary = errors.Select(e => new AccumulationErrors(e.Max() / rms, e.Average() / rms)).ToArray();
        return new AccumulationMeasurement(k, rows * cols, summary[0], summary[1], summary[2], summary[3], summary[4]);
    }

    static double Quantise(double x, int bits, bool truncate)
    {
        if (x == 0 || !double.IsFinite(x)) return x;
        double scale = Math.ScaleB(1.0, bits - 1 - Math.ILogB(x)); // x·scale ∈ [2^(bits−1), 2^bits): an integer keeps `bits` bits
        double scaled = x * scale;
        return (truncate ? Math.Truncate(scaled) : Math.Round(scaled, MidpointRounding.ToEven)) / scale;
    }
}

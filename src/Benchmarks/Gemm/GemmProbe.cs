using System.Diagnostics;
using Pipeline.Policy.Model;
using static TorchSharp.torch;

namespace Pipeline.Benchmarks.Gemm;

/// <summary>One matrix product to time: (M, K) × (K, N), multiplied as a linear layer multiplies (the weight stored
/// (N, K) and transposed), 2·M·K·N FLOPs.</summary>
public sealed record GemmShape(string Label, int M, int K, int N)
{
    public double Flops => 2.0 * M * K * N;
}

/// <summary>The speed libtorch reached on one shape in one dtype: the best of its timed trials.</summary>
public sealed record GemmMeasurement(string Label, string Dtype, int M, int K, int N, double Gflops);

/// <summary>The peak of one dtype: the fastest of its shapes, and every shape's figure.</summary>
public sealed record GemmPeak(string Dtype, double PeakGflops, IReadOnlyList<GemmMeasurement> Shapes);

/// <summary>libtorch's GEMM speed on this machine, measured in the run whose figures are divided by it: a peak measured
/// on another day or another machine is the wrong denominator (these machines are shared and differ).</summary>
public static class GemmProbe
{
    const int Trials = 4;

    /// <summary>The distinct products of <paramref name="config"/>'s linear layers and head over
    /// <paramref name="rows"/> token positions, as FP32 and BF16 layers compute them (<see cref="StackedLinear"/>):
    /// q, k and v stacked, o, gate and up stacked, down, lm_head.</summary>
    public static IReadOnlyList<GemmShape> ModelShapes(PolicyConfig config, int rows, string label)
    {
        int c = config.HiddenSize, q = config.NumAttentionHeads * config.HeadDim, kv = config.KeyValueHeads * config.HeadDim;
        var layers = new (string Name, int K, int N)[]
        {
            ("q_proj+k_proj+v_proj", c, q + 2 * kv), ("o_proj", q, c),
            ("gate_proj+up_proj", c, 2 * config.IntermediateSize), ("down_proj", config.IntermediateSize, c),
            ("lm_head", c, config.VocabSize),
        };
        return layers.GroupBy(l => (l.K, l.N))
            .Select(same => new GemmShape($"{label} {string.Join('/', same.Select(l => l.Name))}", rows, same.Key.K, same.Key.N))
            .ToArray();
    }

    /// <summary>A large square product, where libtorch's kernels run closest to the machine's limit.</summary>
    public static GemmShape Square(int side) => new($"square {side}", side, side, side);

    /// <param name="secondsPerShape">wall time to spend on each shape (after a warm-up product)</param>
    public static GemmPeak Measure(IEnumerable<GemmShape> shapes, ScalarType dtype, double secondsPerShape, CancellationToken cancellation = default)
    {
        var measured = shapes.Select(shape =>
        {
            cancellation.ThrowIfCancellationRequested();
            return new GemmMeasurement(shape.Label, DtypeName(dtype), shape.M, shape.K, shape.N, Gflops(shape, dtype, secondsPerShape));
        }).ToArray();
        return new GemmPeak(DtypeName(dtype), measured.Max(m => m.Gflops), measured);
    }

    public static string DtypeName(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => "fp32",
        ScalarType.BFloat16 => "bf16",
        _ => dtype.ToString().ToLowerInvariant(),
    };

    /// <summary>The best of <see cref="Trials"/> trials, each as many products as fit in a quarter of the time the
    /// first products took to suggest.</summary>
    static double Gflops(GemmShape shape, ScalarType dtype, double seconds)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = randn([shape.M, shape.K], dtype);                           // (M, K); the values do not matter
        var weight = randn([shape.N, shape.K], dtype);                          // (N, K)
        var weightT = weight.t();                                               // (K, N), a view as in a linear layer
        double once = Time(input, weightT, 1);                                  // warm-up: libtorch picks its kernel
        once = Math.Max(1e-7, Time(input, weightT, 1));
        int repeats = Math.Max(1, (int)(seconds / Trials / once));
        double best = double.MaxValue;
        for (int trial = 0; trial < Trials; trial++) best = Math.Min(best, Time(input, weightT, repeats) / repeats);
        return shape.Flops / best / 1e9;
    }

    static double Time(Tensor input, Tensor weightT, int repeats)
    {
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < repeats; i++)
        {
            using var product = input.matmul(weightT);                          // (M, N)
        }
        return clock.Elapsed.TotalSeconds;
    }
}

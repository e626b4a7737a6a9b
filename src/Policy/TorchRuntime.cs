using static TorchSharp.torch;

namespace Pipeline.Policy;

/// <summary>Process-wide libtorch settings, applied once by each host before any tensor work.</summary>
public static class TorchRuntime
{
    /// <param name="threads">intra-op threads; 0 = one per core</param>
    public static void Configure(int threads)
    {
        set_num_threads(threads > 0 ? threads : Environment.ProcessorCount);
    }
}

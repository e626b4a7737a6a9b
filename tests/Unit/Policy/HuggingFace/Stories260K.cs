namespace Pipeline.Tests.Unit.Policy.HuggingFace;

/// <summary>Karpathy's stories260K (llama2.c, MIT; see tests/Fixtures/stories260K/LICENSE) as Hugging Face directories:
/// the F32 original and a BF16 copy in two shards with an index. Facts from its README.</summary>
static class Stories260K
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "stories260K");

    public static string Bf16ShardedDirectory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "stories260K-bf16-sharded");

    public const int Bos = 1, Eos = 2;

    public const string OnceUponATime = "Once upon a time";

    public static readonly int[] OnceUponATimeIds = [1, 403, 407, 261, 378];

    public const string GreedyFromBos = "Once upon a time, there was a little girl named Lily.";
}

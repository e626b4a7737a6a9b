namespace Pipeline.Policy.Sampling;

/// <summary>Each sample's seed derives from (run seed, batch, prompt, sample index) alone, so a sample does not
/// depend on which worker drew it or what else was in its batch, and a run can be replayed.</summary>
public static class SampleSeeds
{
    public static ulong Derive(long runSeed, int batch, int prompt, int sample)
    {
        ulong h = Mix((ulong)runSeed);
        h = Mix(h ^ (uint)batch);
        h = Mix(h ^ ((ulong)(uint)prompt << 20));
        return Mix(h ^ ((ulong)(uint)sample << 40));
    }

    /// <summary>The seed of the prompt feed's generator for batch <paramref name="batch"/>: a pure function of
    /// (run seed, batch), the same in every process (unlike <see cref="HashCode"/>, which .NET randomises per process).
    /// The high bit of the mixed prompt slot keeps it apart from every sample's seed.</summary>
    public static int ForPromptBatch(long runSeed, int batch) =>
        (int)(Derive(runSeed, batch, int.MinValue, 0) >> 33);

    /// <summary>SplitMix64's finaliser (Steele et al. 2014): a cheap, well-mixed bijection.</summary>
    static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

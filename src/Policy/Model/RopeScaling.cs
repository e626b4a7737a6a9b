using System.Text.Json.Serialization;

namespace Pipeline.Policy.Model;

/// <summary><c>rope_scaling</c> of <c>config.json</c>: <c>linear</c> (positions interpolated by <c>factor</c>) and
/// Llama 3.1's <c>llama3</c> (low frequencies slowed by <c>factor</c>, high ones kept, a smooth blend between;
/// see transformers' <c>_compute_llama3_parameters</c>). Other kinds are refused by name.</summary>
public sealed record RopeScaling
{
    [JsonPropertyName("rope_type")] public string? RopeType { get; init; }

    /// <summary>The older spelling of <see cref="RopeType"/>.</summary>
    [JsonPropertyName("type")] public string? Type { get; init; }
    [JsonPropertyName("factor")] public double Factor { get; init; } = 1.0;
    [JsonPropertyName("low_freq_factor")] public double LowFreqFactor { get; init; } = 1.0;
    [JsonPropertyName("high_freq_factor")] public double HighFreqFactor { get; init; } = 4.0;
    [JsonPropertyName("original_max_position_embeddings")] public int OriginalMaxPositionEmbeddings { get; init; } = 8192;

    [JsonIgnore] public string Kind => RopeType ?? Type ?? "default";

    public void Validate()
    {
        if (Kind is not ("default" or "linear" or "llama3"))
            throw new InvalidDataException($"unsupported rope_scaling type '{Kind}': Pipeline reads default, linear and llama3");
        if (Factor <= 0) throw new InvalidDataException($"rope_scaling factor must be positive, not {Factor}");
    }

    /// <summary>Rescales rotary inverse frequencies.</summary>
    public double[] Apply(double[] inverseFrequencies)
    {
        if (Kind == "linear") return inverseFrequencies.Select(f => f / Factor).ToArray();
        if (Kind != "llama3") return inverseFrequencies;
        double lowFreqWavelength = OriginalMaxPositionEmbeddings / LowFreqFactor;
        double highFreqWavelength = OriginalMaxPositionEmbeddings / HighFreqFactor;
        return inverseFrequencies.Select(f =>
        {
            double wavelength = 2 * Math.PI / f;
            if (wavelength < highFreqWavelength) return f;
            if (wavelength > lowFreqWavelength) return f / Factor;
            double smooth = (OriginalMaxPositionEmbeddings / wavelength - LowFreqFactor) / (HighFreqFactor - LowFreqFactor);
            return (1 - smooth) * f / Factor + smooth * f;
        }).ToArray();
    }
}

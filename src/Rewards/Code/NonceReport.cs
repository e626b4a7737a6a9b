using System.Text.Json;

namespace Pipeline.Rewards.Code;

/// <summary>The report of a trusted process inside a sandbox (<see cref="AssertHarness"/>, <see cref="StdinBatch"/>):
/// the lines of its stdout that start with the run's nonce and a space, each one JSON object. Every other line is the
/// program's or noise and is skipped.</summary>
static class NonceReport
{
    /// <summary>Each report line's object, in order; null for a line that carries the nonce but is not JSON.</summary>
    public static IEnumerable<JsonElement?> Read(string stdout, string nonce)
    {
        var prefix = nonce + " ";
        foreach (var line in stdout.Split('\n'))
        {
            if (!line.StartsWith(prefix, StringComparison.Ordinal)) continue;
            JsonElement? root;
            try
            {
                using var doc = JsonDocument.Parse(line[prefix.Length..]);
                root = doc.RootElement.Clone();
            }
            catch (JsonException)
            {
                root = null;
            }
            yield return root;
        }
    }
}

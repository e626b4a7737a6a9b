namespace Pipeline.Policy.Checkpoints;

/// <summary>Checkpoint locations travel as <c>file://</c> URIs (a shared volume in a multi-machine setup), so a
/// later store (object storage, say) can add its own scheme without changing the messages.</summary>
public static class CheckpointUris
{
    public static string FromPath(string directory) => new Uri(Path.GetFullPath(directory)).AbsoluteUri;

    public static string ToPath(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || !parsed.IsFile)
            throw new ArgumentException($"'{uri}' is not a file:// checkpoint URI; only the file checkpoint store is supported");
        return parsed.LocalPath;
    }
}

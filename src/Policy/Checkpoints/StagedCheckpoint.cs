namespace Pipeline.Policy.Checkpoints;

/// <summary>A checkpoint whose files are written into a staging directory (<see cref="Checkpoint.Stage"/>) but not
/// yet durable: <see cref="Commit"/> fsyncs them and renames the directory into place, so that a reader sees the
/// whole checkpoint or none of it. Disposing a staged checkpoint that was never committed removes its files.</summary>
public sealed class StagedCheckpoint : IDisposable
{
    readonly string _weightsFile;

    internal StagedCheckpoint(string staging, string directory, string weightsFile)
    {
        Staging = staging;
        Directory = directory;
        _weightsFile = weightsFile;
    }

    /// <summary>Where the files are until <see cref="Commit"/>.</summary>
    public string Staging { get; }

    /// <summary>Where the checkpoint lies once committed.</summary>
    public string Directory { get; }

    /// <summary>Fsyncs every file, replaces whatever lies at <see cref="Directory"/> and moves the files there.</summary>
    /// <returns>the SHA-256 (lower-case hex) of the weights file</returns>
    public string Commit()
    {
        foreach (var file in System.IO.Directory.GetFiles(Staging)) Checkpoint.Fsync(file);
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
        System.IO.Directory.Move(Staging, Directory);
        return Checkpoint.Sha256(Path.Combine(Directory, _weightsFile));
    }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Staging)) System.IO.Directory.Delete(Staging, recursive: true);
    }
}

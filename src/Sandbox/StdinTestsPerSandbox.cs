namespace Pipeline.Sandboxing;

/// <summary>How many of one code completion's stdin tests share a sandbox (setting
/// <c>Sandbox:StdinTestsPerSandbox</c>).</summary>
public enum StdinTestsPerSandbox
{
    /// <summary>All of them, one after another under a trusted runner that is the sandbox's pid 1
    /// (<see cref="Sandbox.RunBatchAsync"/>): one sandbox set-up per completion instead of per test.</summary>
    All,

    /// <summary>All of them, in a sandbox that outlives the completion (<see cref="Sandbox.RunInSessionAsync"/>): the same
    /// runner, started once per parallel slot, judges one completion after another, each in a judge process forked
    /// from a pid 1 that never holds a completion. No sandbox set-up and no interpreter start per completion. The
    /// assert-style test code runs in sessions of its own kind as well.</summary>
    Session,

    /// <summary>Each in a sandbox of its own (<see cref="Sandbox.RunPythonAsync"/>), as before the runner existed.</summary>
    One,
}

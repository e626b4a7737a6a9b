using System.Collections.Concurrent;
using System.Diagnostics;

namespace Pipeline.Sandboxing;

/// <summary>Starts every sandbox from one long-lived thread. bwrap's <c>--die-with-parent</c> uses the parent-death
/// signal, which fires when the *thread* that forked bwrap ends, not the process: started from a thread-pool
/// thread that the pool later retires, a healthy run would be SIGKILLed mid-flight. This thread lives as long as
/// the sandbox, so a run dies with its parent exactly when it should: when the verifier ends, or at disposal.</summary>
sealed class SandboxSpawner : IDisposable
{
    readonly BlockingCollection<(Process Process, TaskCompletionSource Started)> _requests = [];

    public SandboxSpawner()
    {
        new Thread(Serve) { IsBackground = true, Name = "sandbox-spawner" }.Start();
    }

    /// <summary>Starts <paramref name="process"/> on the spawner thread; throws what <see cref="Process.Start()"/>
    /// throws, or <see cref="InvalidOperationException"/> after disposal.</summary>
    public Task StartAsync(Process process)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _requests.Add((process, started));
        return started.Task;
    }

    public void Dispose() => _requests.CompleteAdding();

    void Serve()
    {
        foreach (var (process, started) in _requests.GetConsumingEnumerable())
        {
            try
            {
                SandboxDescriptors.SealInherited();
                process.Start();
                started.SetResult();
            }
            catch (Exception e)
            {
                started.SetException(e);
            }
        }
        _requests.Dispose();
    }
}

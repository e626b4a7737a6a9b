using System.Collections.Concurrent;

namespace Pipeline.Policy;

/// <summary>
/// One long-lived thread on which a component runs its tensor work, one piece after another: the learner's GRPO
/// steps, a rollout worker's batches, the held-out evaluations. Awaited code resumes on whichever thread-pool thread
/// is free, and glibc gives each thread a heap of its own, so a step that ran on a different thread each time put its
/// tensors in a different heap each time — heaps that, being cold, faulted on every page (<see cref="NativeHeap"/>).
/// On one thread the work reuses one warm heap, and libgomp (which keeps a team of workers per calling thread) one
/// team.
/// </summary>
public sealed class TorchThread : IDisposable
{
    readonly BlockingCollection<Action> _work = [];
    readonly Thread _thread;

    /// <param name="name">the thread's name, as debuggers and <c>top -H</c> show it</param>
    public TorchThread(string name)
    {
        _thread = new Thread(Serve) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Runs <paramref name="work"/> on this thread after the work queued before it; its result or exception
    /// comes back through the task, whose continuations do not run on this thread.</summary>
    public Task<T> RunAsync<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            _work.Add(() =>
            {
                try
                {
                    done.SetResult(work());
                }
                catch (Exception e)
                {
                    done.SetException(e);
                }
            });
        }
        catch (InvalidOperationException)
        {
            throw new ObjectDisposedException(_thread.Name, "this torch thread has stopped taking work");
        }
        return done.Task;
    }

    /// <summary>True on this thread: for tests, and for assertions that work runs where it should.</summary>
    public bool IsCurrent => Thread.CurrentThread == _thread;

    void Serve()
    {
        foreach (var work in _work.GetConsumingEnumerable()) work();
    }

    /// <summary>Takes no more work, lets the queued work finish and ends the thread.</summary>
    public void Dispose()
    {
        _work.CompleteAdding();
        if (!IsCurrent) _thread.Join();
    }
}

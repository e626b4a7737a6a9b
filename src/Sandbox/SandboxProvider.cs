using Microsoft.Extensions.Options;

namespace Pipeline.Sandboxing;

/// <summary>Whether this verifier serves code tasks: when it does, <see cref="Detail"/> says how runs are
/// contained; when it does not, why the sandbox could not be established.</summary>
public sealed record CodeTaskAvailability(bool Available, string Detail);

/// <summary>The verifier's one <see cref="Sandbox"/>, established on first use (or at host start by the verifier's
/// start-up check) and kept for the life of the process once established. A sandbox that cannot be established is
/// refused with the probe's reason — and no program runs at all — until <see cref="SandboxOptions.RetrySeconds"/>
/// have passed; the next request then tries again, so a fault fixed on the machine heals without a restart.</summary>
public sealed class SandboxProvider(IOptions<SandboxOptions> options, TimeProvider time) : IDisposable
{
    readonly Lock _lock = new();
    Task<Sandbox>? _sandbox;
    DateTimeOffset _failedAt;

    public SandboxProvider(IOptions<SandboxOptions> options) : this(options, TimeProvider.System)
    {
    }

    /// <exception cref="SandboxUnavailableException">The sandbox cannot be established here.</exception>
    /// <exception cref="OptionsValidationException">A "Sandbox" setting is invalid.</exception>
    public Task<Sandbox> GetAsync(CancellationToken cancellationToken) => Current().WaitAsync(cancellationToken);

    /// <summary>Establishes the sandbox if that has not happened yet, and says whether code tasks are served.</summary>
    public async Task<CodeTaskAvailability> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            var sandbox = await GetAsync(cancellationToken);
            return new CodeTaskAvailability(true, sandbox.Isolation);
        }
        catch (SandboxUnavailableException e)
        {
            return new CodeTaskAvailability(false, e.Reason);
        }
    }

    Task<Sandbox> Current()
    {
        lock (_lock)
        {
            bool failed = _sandbox is { IsCompleted: true, IsCompletedSuccessfully: false };
            if (_sandbox is null || (failed && time.GetUtcNow() - _failedAt >= TimeSpan.FromSeconds(options.Value.RetrySeconds)))
            {
                // Established without the first caller's token: one cancelled message must not decide for the process.
                _sandbox = Sandbox.CreateAsync(options.Value, CancellationToken.None);
                _sandbox.ContinueWith(_ => { lock (_lock) _failedAt = time.GetUtcNow(); }, CancellationToken.None,
                    TaskContinuationOptions.NotOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
            return _sandbox;
        }
    }

    public void Dispose()
    {
        Task<Sandbox>? sandbox;
        lock (_lock) sandbox = _sandbox;
        // Disposes it now, or as soon as an establishment still in progress finishes.
        sandbox?.ContinueWith(established => established.Result.Dispose(), CancellationToken.None,
            TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}

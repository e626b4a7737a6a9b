using Microsoft.Extensions.Options;

namespace Pipeline.Sandboxing;

/// <summary>Whether this verifier serves code tasks: when it does, <see cref="Detail"/> says how runs are
/// contained; when it does not, why the sandbox could not be established.</summary>
public sealed record CodeTaskAvailability(bool Available, string Detail);

/// <summary>The verifier's one <see cref="Sandbox"/>, established on first use (or at host start by
/// <see cref="CodeTaskStartupCheck"/>) and kept for the life of the process. A sandbox that cannot be established
/// is not tried again: every later request throws the same <see cref="SandboxUnavailableException"/> with the
/// probe's reason, and no program runs at all.</summary>
public sealed class SandboxProvider : IDisposable
{
    readonly Lazy<Task<Sandbox>> _sandbox;

    public SandboxProvider(IOptions<SandboxOptions> options)
    {
        // Established without the first caller's token: one cancelled message must not decide for the process.
        _sandbox = new(() => EstablishAsync(options), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <exception cref="SandboxUnavailableException">The sandbox cannot be established here.</exception>
    /// <exception cref="OptionsValidationException">A "Sandbox" setting is invalid.</exception>
    public Task<Sandbox> GetAsync(CancellationToken cancellationToken) => _sandbox.Value.WaitAsync(cancellationToken);

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

    public void Dispose()
    {
        if (_sandbox.IsValueCreated)
        {
            // Disposes it now, or as soon as an establishment still in progress finishes.
            _sandbox.Value.ContinueWith(
                established => established.Result.Dispose(),
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    static async Task<Sandbox> EstablishAsync(IOptions<SandboxOptions> options)
    {
        var settings = options.Value;
        return await Sandbox.CreateAsync(settings, CancellationToken.None);
    }
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Sandboxing;

namespace Pipeline.Verifier;

/// <summary>Establishes the sandbox as the verifier starts, so the first code group does not pay for the probe,
/// and logs whether code tasks will be served and, if not, why. Math tasks are served either way.</summary>
public sealed class CodeTaskStartupCheck(SandboxProvider sandboxes, ILogger<CodeTaskStartupCheck> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var availability = await sandboxes.CheckAsync(cancellationToken);
        if (availability.Available)
        {
            logger.LogInformation("Code tasks are available; programs run in {Isolation}", availability.Detail);
        }
        else
        {
            logger.LogWarning(
                "Code tasks are unavailable and will be refused (math tasks are unaffected): {Reason}", availability.Detail);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

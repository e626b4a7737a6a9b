using Microsoft.Extensions.DependencyInjection;
using Pipeline.Hosting;
using Pipeline.Verifier;

// A verifier: scores every completion of each generated group with the task's reward rules; code runs sandboxed,
// and the log says at start whether code tasks are served here. It needs no database and no TorchSharp.
var builder = ServiceHost.CreateBuilder(args);
builder.Services.AddVerifier();
builder.Services.AddCodeTaskStartupCheck();
builder.Services.AddHealthChecks().AddCheck<SandboxHealthCheck>("sandbox");
builder.Services.AddPipelineBus(builder.Configuration, bus => bus.AddVerifierConsumers());
await ServiceHost.RunAsync(builder.Build());

using MassTransit;
using Pipeline.Hosting;
using Pipeline.Verifier;

// A verifier: scores every completion of each generated group with the task's reward rules; code runs sandboxed,
// and the log says at start whether code tasks are served here.
var builder = ServiceHost.CreateBuilder(args);
builder.Services.AddVerifier();
builder.Services.AddCodeTaskStartupCheck();
builder.Services.AddMassTransit(bus =>
{
    bus.AddVerifierConsumers();
    bus.UsePipelineTransport(builder.Configuration);
});
await ServiceHost.RunAsync(builder.Build(), migrate: false);

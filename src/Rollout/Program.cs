using MassTransit;
using Pipeline.Hosting;
using Pipeline.Rollout;

// A rollout worker: samples groups of completions for GenerateRollouts commands with the policy version each
// names. Run as many as there are machines; they compete for commands on one queue.
var builder = ServiceHost.CreateBuilder(args);
builder.Services.AddRolloutWorker();
builder.Services.AddMassTransit(bus =>
{
    bus.AddRolloutConsumers();
    bus.UsePipelineTransport(builder.Configuration);
});
await ServiceHost.RunAsync(builder.Build(), migrate: false);

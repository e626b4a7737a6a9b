using Microsoft.Extensions.Configuration;
using Pipeline.Hosting;
using Pipeline.Policy;
using Pipeline.Rollout;

// A rollout worker: samples groups of completions for GenerateRollouts commands with the policy version each
// names. Run as many as there are machines; they compete for commands on one queue. It needs no database: each
// command carries where its policy version lies and the hash it must have.
var builder = ServiceHost.CreateBuilder(args);
TorchRuntime.Configure(builder.Configuration.GetValue<int>("Rollout:TorchThreads"));
builder.Services.AddRolloutWorker();
builder.Services.AddPipelineBus(builder.Configuration, bus => bus.AddRolloutConsumers());
await ServiceHost.RunAsync(builder.Build());

using MassTransit;
using Pipeline.Hosting;
using Pipeline.Learner;
using Pipeline.Verifier;

// The learner: starts runs, feeds prompt batches, trains on scored groups, publishes policy versions, and runs
// held-out evaluations as Hangfire jobs. It applies the database migrations at start (Storage:Migrate).
var builder = ServiceHost.CreateBuilder(args);
builder.Services.AddVerifier();
builder.Services.AddLearner();
builder.Services.AddLearnerJobs(builder.Configuration);
builder.Services.AddMassTransit(bus =>
{
    bus.AddLearnerConsumers();
    bus.UsePipelineTransport(builder.Configuration);
});
await ServiceHost.RunAsync(builder.Build(), migrate: true);

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Data;
using Pipeline.Hosting;
using Pipeline.Learner;
using Pipeline.Policy;

// The learner: starts runs, feeds prompt batches, trains on scored groups, publishes policy versions, and runs
// held-out evaluations as Hangfire jobs. It applies the database migrations at start (Storage:Migrate) and takes up
// the runs a previous learner left running.
var builder = ServiceHost.CreateBuilder(args);
TorchRuntime.Configure(builder.Configuration.GetValue<int>($"{LearnerOptions.Section}:{nameof(LearnerOptions.TorchThreads)}"));
builder.Services.AddLearner(builder.Configuration);
builder.Services.AddRunResumption();
builder.Services.AddPipelineBus(builder.Configuration, bus => bus.AddLearnerConsumers());
var app = builder.Build();
if (app.Configuration.GetValue("Storage:Migrate", true))
    await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
await ServiceHost.RunAsync(app);

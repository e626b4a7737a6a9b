using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Dashboard;
using Pipeline.Data;
using Pipeline.Hosting;
using Pipeline.Learner;
using Pipeline.Policy;

// The learner: starts runs, feeds prompt batches, trains on scored groups, publishes policy versions, and runs
// held-out evaluations as Hangfire jobs. It applies the database migrations at start (Storage:Migrate) and takes up
// the runs a previous learner left running. With Dashboard:Enabled it also serves the run dashboard.
var builder = ServiceHost.CreateBuilder(args);
TorchRuntime.Configure(builder.Configuration.GetValue<int>($"{LearnerOptions.Section}:{nameof(LearnerOptions.TorchThreads)}"));
builder.Services.AddLearner(builder.Configuration);
builder.Services.AddRunResumption();
bool dashboard = builder.Configuration.GetValue<bool>($"{DashboardOptions.Section}:{nameof(DashboardOptions.Enabled)}");
if (dashboard) builder.Services.AddLearnerDashboard();
builder.Services.AddPipelineBus(builder.Configuration, bus => bus.AddLearnerConsumers());
var app = builder.Build();
if (dashboard) app.MapPipelineDashboard();
if (app.Configuration.GetValue("Storage:Migrate", true))
    await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
await ServiceHost.RunAsync(app);

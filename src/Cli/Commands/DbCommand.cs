using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Cli.Hosting;
using Pipeline.Cli.Workflows;
using Pipeline.Data;
using Pipeline.Orchestration;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline db migrate</c>: applies the EF Core migrations to the database in Storage:* (the learner
/// also does this at start).</summary>
public static class DbCommand
{
    public static Command Create()
    {
        var migrate = PipelineCommand.Create("migrate", "Create or upgrade the run database's schema.", [], async context =>
        {
            await using var services = StorageServices.Build(context.Configuration);
            var applied = await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(context.Cancellation);
            context.Out.WriteLine(applied.Count == 0 ? "The database is up to date." : $"Applied {applied.Count} migration(s): {string.Join(", ", applied)}");
            return ExitCodes.Success;
        }, json: false);
        return new Command("db", "Run-database maintenance.") { migrate };
    }
}

using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Cli.Hosting;
using Pipeline.Cli.Workflows;
using Pipeline.Orchestration;
using Pipeline.Data;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline db migrate</c>: applies the EF Core migrations to the database in Storage:* (the learner
/// also does this at start).</summary>
public static class DbCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var set = CommonOptions.Set();
        var migrate = new Command("migrate", "Create or upgrade the run database's schema.") { config, set };
        migrate.SetAction((parse, cancellation) => CommandRunner.RunAsync(async () =>
        {
            await using var services = StorageServices.Build(PipelineConfiguration.Build(parse.GetValue(config), parse.GetValue(set)));
            var applied = await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellation);
            AnsiConsole.WriteLine(applied.Count == 0 ? "The database is up to date." : $"Applied {applied.Count} migration(s): {string.Join(", ", applied)}");
            return 0;
        }));
        return new Command("db", "Run-database maintenance.") { migrate };
    }
}

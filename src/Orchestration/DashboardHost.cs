using Hangfire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Dashboard;
using Pipeline.Data;
using Pipeline.Hosting;
using Pipeline.Learner;

namespace Pipeline.Orchestration;

/// <summary><c>pipeline dashboard</c>'s web host: the dashboard over the database of <c>Storage:*</c>, Hangfire's
/// dashboard over the job storage the learner uses (PostgreSQL; with SQLite the learner's jobs lived in its own
/// memory, so there is nothing to show), the shared telemetry and health endpoints (<c>/metrics</c>, <c>/health</c>,
/// <c>/health/live</c>, <c>/health/ready</c>). Logs go to standard error.</summary>
public static class DashboardHost
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    public static async Task<WebApplication> OpenAsync(IConfiguration configuration, string urls, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = Directory.GetCurrentDirectory() });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.WebHost.UseUrls(urls);
        builder.Services.AddPipelineData(builder.Configuration);
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        builder.Services.AddHangfire(c => c.UseConfiguredStorage(builder.Configuration));
        builder.Services.AddLearnerDashboard();
        builder.AddPipelineTelemetry();
        var app = builder.Build();
        // Reading a database written by an older program needs its schema brought up to date, as replay does.
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        app.MapPipelineTelemetry();
        app.MapPipelineDashboard();
        return app;
    }
}

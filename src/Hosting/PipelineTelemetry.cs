using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Pipeline.Hosting;

/// <summary>Telemetry and health as eShop's ServiceDefaults set them up, for every Pipeline web host: OpenTelemetry
/// traces and metrics from ASP.NET Core, outgoing HTTP, the .NET runtime, MassTransit's own
/// <c>ActivitySource</c>/<c>Meter</c> ("MassTransit"), Npgsql's ("Npgsql", taken by name so that Hosting does not
/// carry Npgsql) and the <see cref="PipelineMeter"/> with the learner's step metrics; exported by OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, and as a Prometheus scrape at <c>/metrics</c>. Health: <c>/health</c>
/// and <c>/health/ready</c> run every check (bus, database, sandbox), <c>/health/live</c> only says the process
/// answers.</summary>
public static class PipelineTelemetry
{
    const string Live = "live";
    static readonly string[] Sources = ["MassTransit", "Npgsql"];

    public static IHostApplicationBuilder AddPipelineTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter([PipelineMeter.Name, .. Sources])
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing
                // The scrape and the probes would otherwise be most of the traces.
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/metrics") && !context.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation()
                .AddSource(Sources));
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) telemetry.UseOtlpExporter();
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [Live]);
        return builder;
    }

    /// <summary>Maps <c>/metrics</c>, <c>/health</c>, <c>/health/ready</c> and <c>/health/live</c>.</summary>
    public static WebApplication MapPipelineTelemetry(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapHealthChecks("/health");
        app.MapHealthChecks("/health/ready");
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = check => check.Tags.Contains(Live) });
        return app;
    }
}

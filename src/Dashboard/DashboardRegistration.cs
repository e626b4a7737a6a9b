using Hangfire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Pipeline.Dashboard.Api;

namespace Pipeline.Dashboard;

public static class DashboardRegistration
{
    /// <summary>The dashboard's services (section <c>Dashboard</c>, validated at start). The host also registers the
    /// run database (<c>AddPipelineData</c>), Hangfire's job storage and an <see cref="IStepSamples"/>.</summary>
    public static IServiceCollection AddPipelineDashboard(this IServiceCollection services)
    {
        services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DashboardAccess>();
        services.TryAddSingleton<DashboardReader>();
        return services;
    }

    /// <summary>Maps the pages, the JSON API and Hangfire's dashboard (<c>/hangfire</c>, read-only unless
    /// <c>Dashboard:HangfireWritable</c>), all behind <see cref="DashboardAccess"/>. Only GET endpoints.</summary>
    public static WebApplication MapPipelineDashboard(this WebApplication app)
    {
        var access = app.Services.GetRequiredService<DashboardAccess>();
        var options = app.Services.GetRequiredService<IOptions<DashboardOptions>>().Value;
        app.UseHangfireDashboard("/hangfire", new Hangfire.DashboardOptions
        {
            Authorization = [new HangfireAccessFilter(access)],
            IsReadOnlyFunc = _ => !options.HangfireWritable,
            DisplayStorageConnectionString = false,
            AppPath = "/",
            DashboardTitle = "Pipeline jobs",
        });
        var dashboard = app.MapGroup("").AddEndpointFilter(async (context, next) => access.Allows(context.HttpContext)
            ? await next(context)
            : Results.Text("this dashboard answers other machines only with Dashboard:Token (Authorization: Bearer TOKEN or ?token=TOKEN)", statusCode: StatusCodes.Status403Forbidden));
        DashboardPages.Map(dashboard);
        DashboardApi.Map(dashboard);
        return app;
    }
}

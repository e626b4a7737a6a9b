using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Pipeline.Dashboard.Pages;

namespace Pipeline.Dashboard;

/// <summary>The HTML pages: <c>/</c>, <c>/runs/{id}</c>, <c>/runs/{id}/samples?step=N</c>, <c>/compare?runs=a,b</c>.
/// GET only.</summary>
static class DashboardPages
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", async (DashboardReader reader, TimeProvider time, IOptions<DashboardOptions> options, CancellationToken ct) =>
            Html(RunsPage.Render(await reader.RunsAsync(ct), time.GetUtcNow(), options.Value.RefreshSeconds)));

        routes.MapGet("/runs/{id:guid}", async (Guid id, DashboardReader reader, TimeProvider time, IOptions<DashboardOptions> options, CancellationToken ct) =>
            await reader.RunAsync(id, ct) is { } details ? Html(RunPage.Render(details, time.GetUtcNow(), options.Value.RefreshSeconds)) : NotFound(id));

        routes.MapGet("/runs/{id:guid}/samples", async (Guid id, int? step, DashboardReader reader, IStepSamples samples, CancellationToken ct) =>
        {
            if (await reader.RunAsync(id, ct) is not { } details) return NotFound(id);
            var steps = details.Series.TryGetValue("reward", out var reward) ? reward.Select(p => p.Step).ToArray() : [];
            int shown = step ?? (steps.Length > 0 ? steps[^1] : 0);
            return Html(SamplesPage.Render(details.Run, shown, steps, await samples.ReadAsync(id, shown, ct)));
        });

        routes.MapGet("/compare", async (HttpRequest request, DashboardReader reader, IOptions<DashboardOptions> options, CancellationToken ct) =>
        {
            var ids = RunIds.Parse(request.Query["runs"]);
            if (ids is null) return Results.BadRequest("runs must be run ids separated by commas, e.g. /compare?runs=ID1,ID2");
            var runs = new List<RunDetails>();
            foreach (var id in ids)
                if (await reader.RunAsync(id, ct) is { } details) runs.Add(details);
                else return NotFound(id);
            return Html(ComparePage.Render(runs, options.Value.RefreshSeconds));
        });
    }

    static IResult Html(string html) => Results.Content(html, "text/html; charset=utf-8");

    static IResult NotFound(Guid id) => Results.NotFound($"no run {id} in this database");
}

using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Pipeline.Dashboard.Pages;
using Pipeline.Data.Entities;

namespace Pipeline.Dashboard.Api;

/// <summary>The JSON API behind each page, snake_case, GET only: <c>/api/runs</c>, <c>/api/runs/{id}</c>,
/// <c>/api/runs/{id}/metrics[?names=a,b]</c> → <c>{"run_id", "series": {"NAME": [{"step", "value"}]}}</c>,
/// <c>/api/runs/{id}/samples?step=N</c>.</summary>
static class DashboardApi
{
    // A diverged step can store NaN or infinity: written as "NaN"/"Infinity" rather than failing the whole response.
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void Map(IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api");
        api.MapGet("/runs", async (DashboardReader reader, TimeProvider time, CancellationToken ct) =>
            Results.Json((await reader.RunsAsync(ct)).Select(r => new
            {
                r.Run.Id,
                r.Run.Name,
                Status = RunsPage.StatusName(r.Run.Status),
                StartedAt = r.Run.CreatedAt,
                r.Run.FinishedAt,
                DurationSeconds = ((r.Run.FinishedAt ?? time.GetUtcNow()) - r.Run.CreatedAt).TotalSeconds,
                r.LatestVersion,
                r.GroupsScored,
                r.Run.GroupsExpected,
                LatestHeldOutAccuracy = r.LatestAccuracy,
                r.Run.SourceRunId,
            }), Json));

        api.MapGet("/runs/{id:guid}", async (Guid id, DashboardReader reader, CancellationToken ct) =>
            await reader.RunAsync(id, ct) is { } d
                ? Results.Json(new
                {
                    d.Run.Id,
                    d.Run.Name,
                    Status = RunsPage.StatusName(d.Run.Status),
                    StartedAt = d.Run.CreatedAt,
                    d.Run.FinishedAt,
                    d.Run.Seed,
                    d.Run.Error,
                    d.Run.BasePolicySha256,
                    d.Run.CodeVersion,
                    d.Run.SourceRunId,
                    d.Run.GroupsExpected,
                    d.Run.DuplicatesIgnored,
                    Settings = JsonDocument.Parse(d.Run.ConfigJson).RootElement,
                    Versions = d.Versions.Select(v => new { v.Version, v.Format, v.Sha256, v.CheckpointUri, v.CreatedAt }),
                    Evaluations = d.Evaluations.Select(e => new { e.PolicyVersion, e.Split, e.Accuracy, e.FormatRate, e.PassAtK, e.K, e.CreatedAt }),
                    Metrics = d.Series.Keys,
                }, Json)
                : Results.NotFound());

        api.MapGet("/runs/{id:guid}/metrics", async (Guid id, string? names, DashboardReader reader, CancellationToken ct) =>
        {
            if (await reader.RunAsync(id, ct) is null) return Results.NotFound();
            var wanted = names?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var series = await reader.SeriesAsync(id, wanted, ct);
            return Results.Json(new { RunId = id, Series = series.ToDictionary(s => s.Key, s => s.Value.Select(p => new { p.Step, p.Value })) }, Json);
        });

        api.MapGet("/runs/{id:guid}/samples", async (Guid id, int step, DashboardReader reader, IStepSamples samples, CancellationToken ct) =>
        {
            if (await reader.RunAsync(id, ct) is null) return Results.NotFound();
            var rows = await samples.ReadAsync(id, step, ct);
            return Results.Json(new
            {
                RunId = id,
                Step = step,
                Samples = rows.Select(r => new
                {
                    r.PromptId,
                    r.Prompt,
                    r.Index,
                    r.Completion,
                    r.Reward,
                    r.Components,
                    r.Verdict,
                    r.Advantage,
                    r.PolicyVersion,
                    TrainingStep = r.Step,
                    r.FinishReason,
                    TokenIds = r.Tokens.Select(t => t.Id),
                    LogProbs = r.Tokens.Select(t => t.LogProb),
                }),
            }, Json);
        });
    }
}

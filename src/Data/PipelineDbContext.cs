using Microsoft.EntityFrameworkCore;
using Pipeline.Data.Entities;

namespace Pipeline.Data;

/// <summary>The storage model, shared by both providers. EF Core migrations are provider-specific, so each
/// provider has a small derived context (<see cref="SqlitePipelineDbContext"/>, <see cref="PostgresPipelineDbContext"/>)
/// that owns its generated migrations under <c>Migrations/&lt;Provider&gt;</c>; callers only see this type.</summary>
public abstract class PipelineDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<Run> Runs => Set<Run>();
    public DbSet<PolicyVersion> PolicyVersions => Set<PolicyVersion>();
    public DbSet<ScoredGroup> ScoredGroups => Set<ScoredGroup>();
    public DbSet<ScoredCompletion> ScoredCompletions => Set<ScoredCompletion>();
    public DbSet<Metric> Metrics => Set<Metric>();
    public DbSet<Evaluation> Evaluations => Set<Evaluation>();
    public DbSet<TrainingStep> TrainingSteps => Set<TrainingStep>();
    public DbSet<ScoringRevision> ScoringRevisions => Set<ScoringRevision>();
    public DbSet<RescoredCompletion> RescoredCompletions => Set<RescoredCompletion>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(PipelineDbContext).Assembly);
}

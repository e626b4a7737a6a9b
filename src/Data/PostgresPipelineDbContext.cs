using Microsoft.EntityFrameworkCore;

namespace Pipeline.Data;

/// <summary>The distributed provider. Its migrations live in <c>Migrations/Postgres</c>.</summary>
public sealed class PostgresPipelineDbContext(DbContextOptions<PostgresPipelineDbContext> options) : PipelineDbContext(options);

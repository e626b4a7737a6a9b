using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Pipeline.Data.Entities;

namespace Pipeline.Data.Configurations;

public sealed class MetricEntityTypeConfiguration : IEntityTypeConfiguration<Metric>
{
    public void Configure(EntityTypeBuilder<Metric> metric)
    {
        metric.ToTable("metrics");
        // The key doubles as the curve index: WHERE run_id = ? AND name = ? ORDER BY step.
        metric.HasKey(m => new { m.RunId, m.Name, m.Step });
        metric.Property(m => m.Name).HasMaxLength(128);
        metric.HasOne<Run>().WithMany().HasForeignKey(m => m.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}

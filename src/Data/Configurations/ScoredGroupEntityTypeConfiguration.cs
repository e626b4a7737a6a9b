using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Pipeline.Data.Entities;

namespace Pipeline.Data.Configurations;

public sealed class ScoredGroupEntityTypeConfiguration : IEntityTypeConfiguration<ScoredGroup>
{
    /// <summary>The unique index that makes a redelivered group a no-op; see <see cref="Stores.ScoredGroupStore"/>.</summary>
    public const string UniqueKeyName = "ux_scored_groups_run_batch_prompt";

    public void Configure(EntityTypeBuilder<ScoredGroup> group)
    {
        group.ToTable("scored_groups");
        group.HasKey(g => g.Id);
        group.Property(g => g.Id).ValueGeneratedOnAdd();
        group.HasIndex(g => new { g.RunId, g.BatchId, g.PromptId }).IsUnique().HasDatabaseName(UniqueKeyName);
        group.Property(g => g.Task).HasMaxLength(64);
        group.HasOne<Run>().WithMany().HasForeignKey(g => g.RunId).OnDelete(DeleteBehavior.Cascade);
        group.HasMany(g => g.Completions).WithOne().HasForeignKey(c => c.ScoredGroupId).OnDelete(DeleteBehavior.Cascade);
    }
}

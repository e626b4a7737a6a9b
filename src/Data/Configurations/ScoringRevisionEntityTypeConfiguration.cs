using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Pipeline.Data.Entities;

namespace Pipeline.Data.Configurations;

public sealed class ScoringRevisionEntityTypeConfiguration : IEntityTypeConfiguration<ScoringRevision>
{
    public void Configure(EntityTypeBuilder<ScoringRevision> revision)
    {
        revision.ToTable("scoring_revisions");
        revision.HasKey(r => r.Id);
        revision.Property(r => r.Id).ValueGeneratedOnAdd();
        revision.Property(r => r.CodeVersion).HasMaxLength(200);
        revision.HasIndex(r => r.RunId);
        revision.HasOne<Run>().WithMany().HasForeignKey(r => r.RunId).OnDelete(DeleteBehavior.Cascade);
        revision.HasMany(r => r.Scores).WithOne().HasForeignKey(s => s.ScoringRevisionId).OnDelete(DeleteBehavior.Cascade);
    }
}

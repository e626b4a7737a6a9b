using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Pipeline.Data.Entities;

namespace Pipeline.Data.Configurations;

public sealed class PolicyVersionEntityTypeConfiguration : IEntityTypeConfiguration<PolicyVersion>
{
    public void Configure(EntityTypeBuilder<PolicyVersion> version)
    {
        version.ToTable("policy_versions");
        version.HasKey(v => new { v.RunId, v.Version });
        version.Property(v => v.CheckpointUri).HasMaxLength(2048);
        version.Property(v => v.Sha256).HasMaxLength(64);
        version.Property(v => v.Format).HasMaxLength(64);
        version.HasOne<Run>().WithMany().HasForeignKey(v => v.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}

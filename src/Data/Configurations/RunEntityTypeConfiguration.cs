using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Pipeline.Data.Entities;

namespace Pipeline.Data.Configurations;

public sealed class RunEntityTypeConfiguration : IEntityTypeConfiguration<Run>
{
    public void Configure(EntityTypeBuilder<Run> run)
    {
        run.ToTable("runs");
        run.HasKey(r => r.Id);
        run.Property(r => r.Id).ValueGeneratedNever();
        run.Property(r => r.Name).HasMaxLength(200);
        run.Property(r => r.Status)
            .HasConversion(s => s.ToString().ToLowerInvariant(), s => Enum.Parse<RunStatus>(s, true))
            .HasMaxLength(16);
        run.Property(r => r.ConfigJson);
        run.Property(r => r.Error);
        run.Property(r => r.LeaseOwner).HasMaxLength(200);
        run.HasIndex(r => r.CreatedAt);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Pipeline.Data.Entities;

namespace Pipeline.Data.Configurations;

public sealed class TrainingStepEntityTypeConfiguration : IEntityTypeConfiguration<TrainingStep>
{
    public const string UniqueKeyName = "ux_training_steps_run_step";

    public void Configure(EntityTypeBuilder<TrainingStep> step)
    {
        step.ToTable("training_steps");
        step.HasKey(s => s.Id);
        step.Property(s => s.Id).ValueGeneratedOnAdd();
        step.HasIndex(s => new { s.RunId, s.Step }).IsUnique().HasDatabaseName(UniqueKeyName);
        step.Property(s => s.CheckpointSha256).HasMaxLength(64);
        step.HasOne<Run>().WithMany().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Pipeline.Data.Entities;

namespace Pipeline.Data.Configurations;

public sealed class EvaluationEntityTypeConfiguration : IEntityTypeConfiguration<Evaluation>
{
    public void Configure(EntityTypeBuilder<Evaluation> evaluation)
    {
        evaluation.ToTable("evaluations");
        evaluation.HasKey(e => e.Id);
        evaluation.Property(e => e.Id).ValueGeneratedOnAdd();
        evaluation.Property(e => e.Split).HasMaxLength(64);
        // No foreign key to policy_versions: an evaluation names its version by number, and the version row is the
        // learner's to write (before the job that evaluates it is enqueued).
        evaluation.HasIndex(e => new { e.RunId, e.PolicyVersion });
        evaluation.HasOne<Run>().WithMany().HasForeignKey(e => e.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Pipeline.Data.Entities;

namespace Pipeline.Data.Configurations;

public sealed class RescoredCompletionEntityTypeConfiguration : IEntityTypeConfiguration<RescoredCompletion>
{
    public void Configure(EntityTypeBuilder<RescoredCompletion> score)
    {
        score.ToTable("rescored_completions");
        score.HasKey(s => s.Id);
        score.Property(s => s.Id).ValueGeneratedOnAdd();
        score.HasIndex(s => new { s.ScoringRevisionId, s.BatchId, s.PromptId, s.Index }).IsUnique();
        score.Property(s => s.Verdict).HasMaxLength(64);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Pipeline.Data.Entities;

namespace Pipeline.Data.Configurations;

public sealed class ScoredCompletionEntityTypeConfiguration : IEntityTypeConfiguration<ScoredCompletion>
{
    public void Configure(EntityTypeBuilder<ScoredCompletion> completion)
    {
        completion.ToTable("scored_completions");
        completion.HasKey(c => new { c.ScoredGroupId, c.Index });
        completion.Property(c => c.Index).ValueGeneratedNever();
        completion.Property(c => c.FinishReason).HasMaxLength(32);
        completion.Property(c => c.Verdict).HasMaxLength(64);
    }
}

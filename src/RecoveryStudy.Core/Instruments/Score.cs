using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecoveryStudy.Data;

namespace RecoveryStudy.Instruments;

/// <summary>
/// A derived variable: sum or mean of items (some reverse-scored), scaled by
/// <see cref="Multiplier"/> (WHO-5: raw sum x 4 gives the percentage), computed only when at
/// least <see cref="MinAnswered"/> items are answered.
/// </summary>
public class Score
{
    public int Id { get; set; }
    public int InstrumentVersionId { get; set; }
    public required string Code { get; set; }
    public LocalizedText Label { get; set; } = new();
    public required string Method { get; set; }
    public string[] ItemCodes { get; set; } = [];
    public string[] ReverseItemCodes { get; set; } = [];
    public int MinAnswered { get; set; }
    public decimal Multiplier { get; set; } = 1m;
}

internal sealed class ScoreConfiguration : IEntityTypeConfiguration<Score>
{
    public void Configure(EntityTypeBuilder<Score> entity)
    {
        entity.HasIndex(s => new { s.InstrumentVersionId, s.Code }).IsUnique();
        entity.Property(s => s.Code).HasMaxLength(64);
        entity.Property(s => s.Method).HasMaxLength(16);
        entity.Property(s => s.Label).HasJsonConversion();
        entity.HasAllowedValues("score", "method", ScoreMethod.All);
        entity.HasOne<InstrumentVersion>().WithMany(v => v.Scores).HasForeignKey(s => s.InstrumentVersionId).OnDelete(DeleteBehavior.Cascade);
    }
}

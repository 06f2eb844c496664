using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecoveryStudy.Data;

namespace RecoveryStudy.Instruments;

/// <summary>
/// One version of an instrument's content. Once an answer points at a version it is frozen:
/// a changed import creates a new version instead of rewriting this one.
/// </summary>
public class InstrumentVersion
{
    public int Id { get; set; }
    public int InstrumentId { get; set; }
    public int Version { get; set; }
    public LocalizedText Title { get; set; } = new();
    public LocalizedText Intro { get; set; } = new();
    public string? Source { get; set; }
    public string? Licence { get; set; }

    /// <summary>SHA-256 of the canonical definition, to tell whether an import changed it.</summary>
    public required string ContentHash { get; set; }
    public DateTime CreatedAt { get; set; }

    public Instrument? Instrument { get; set; }
    public List<Item> Items { get; set; } = [];
    public List<Score> Scores { get; set; } = [];
}

internal sealed class InstrumentVersionConfiguration : IEntityTypeConfiguration<InstrumentVersion>
{
    public void Configure(EntityTypeBuilder<InstrumentVersion> entity)
    {
        entity.HasIndex(v => new { v.InstrumentId, v.Version }).IsUnique();
        entity.Property(v => v.Title).HasJsonConversion();
        entity.Property(v => v.Intro).HasJsonConversion();
        entity.Property(v => v.ContentHash).HasMaxLength(64);
        entity.HasOne(v => v.Instrument).WithMany(i => i.Versions).HasForeignKey(v => v.InstrumentId).OnDelete(DeleteBehavior.Cascade);
        entity.ToTable(t => t.HasCheckConstraint("ck_instrument_version_version", "version >= 1"));
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecoveryStudy.Studies;

namespace RecoveryStudy.Instruments;

/// <summary>A questionnaire of a study, identified by a stable code; its content lives in versions.</summary>
public class Instrument
{
    public int Id { get; set; }
    public int StudyId { get; set; }
    public required string Code { get; set; }
    public List<InstrumentVersion> Versions { get; set; } = [];
}

internal sealed class InstrumentConfiguration : IEntityTypeConfiguration<Instrument>
{
    public void Configure(EntityTypeBuilder<Instrument> entity)
    {
        entity.HasIndex(i => new { i.StudyId, i.Code }).IsUnique();
        entity.Property(i => i.Code).HasMaxLength(64);
        entity.HasOne<Study>().WithMany().HasForeignKey(i => i.StudyId).OnDelete(DeleteBehavior.Cascade);
    }
}

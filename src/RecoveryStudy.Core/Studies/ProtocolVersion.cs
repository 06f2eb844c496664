using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecoveryStudy.Studies;

/// <summary>One imported protocol document, kept whole so that export gives it back.</summary>
public class ProtocolVersion
{
    public int Id { get; set; }
    public int StudyId { get; set; }
    public int Version { get; set; }

    /// <summary>The protocol JSON document as imported.</summary>
    public required string Document { get; set; }
    public required string Sha256 { get; set; }
    public DateTime ImportedAt { get; set; }
    public int? ImportedByStaffUserId { get; set; }
}

internal sealed class ProtocolVersionConfiguration : IEntityTypeConfiguration<ProtocolVersion>
{
    public void Configure(EntityTypeBuilder<ProtocolVersion> entity)
    {
        entity.HasIndex(p => new { p.StudyId, p.Version }).IsUnique();
        entity.Property(p => p.Document).HasColumnType("jsonb");
        entity.Property(p => p.Sha256).HasMaxLength(64);
        entity.HasOne<Study>().WithMany(s => s.ProtocolVersions).HasForeignKey(p => p.StudyId).OnDelete(DeleteBehavior.Cascade);
        entity.HasOne<Staff.StaffUser>().WithMany().HasForeignKey(p => p.ImportedByStaffUserId).OnDelete(DeleteBehavior.SetNull);
    }
}

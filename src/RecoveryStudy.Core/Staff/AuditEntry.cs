using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecoveryStudy.Staff;

/// <summary>
/// Who did what, when (and, for staff, from where). Holds ids and codes only, never answer values
/// or email addresses, so that erasing a participant leaves no copy of their data here.
/// </summary>
public class AuditEntry
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public int? StaffUserId { get; set; }

    /// <summary>"staff", "participant", "system" or "cli".</summary>
    public required string ActorKind { get; set; }

    /// <summary>A dotted verb such as "protocol.import", "participant.withdraw", "signin.failed".</summary>
    public required string Action { get; set; }
    public int? StudyId { get; set; }
    public string? TargetType { get; set; }
    public string? TargetId { get; set; }
    public string? Details { get; set; }

    /// <summary>
    /// The client's address for a staff member's action or a sign-in attempt made over HTTP (the
    /// address the reverse proxy forwarded); null for participants, the CLI and the system.
    /// </summary>
    public System.Net.IPAddress? ClientAddress { get; set; }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> entity)
    {
        entity.Property(a => a.ActorKind).HasMaxLength(16);
        entity.Property(a => a.Action).HasMaxLength(64);
        entity.Property(a => a.TargetType).HasMaxLength(64);
        entity.Property(a => a.TargetId).HasMaxLength(128);
        entity.Property(a => a.Details).HasColumnType("jsonb");
        entity.Property(a => a.ClientAddress).HasColumnType("inet");
        entity.HasIndex(a => a.At);
        entity.HasIndex(a => new { a.Action, a.At });
        entity.HasOne<StaffUser>().WithMany().HasForeignKey(a => a.StaffUserId).OnDelete(DeleteBehavior.SetNull);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecoveryStudy.Data;
using RecoveryStudy.Mail;
using RecoveryStudy.Participants;

namespace RecoveryStudy.Bounces;

/// <summary>
/// One message read from the bounce mailbox and what it was taken for. Unique per message content,
/// so a run that stopped between recording and moving the message records it once only.
/// Holds codes and a redacted diagnostic, never an address.
/// </summary>
public class BounceReport
{
    public long Id { get; set; }
    public DateTime ReceivedAt { get; set; }

    /// <summary>SHA-256 (hex) of the raw message: the same message read twice is one report.</summary>
    public required string SourceHash { get; set; }
    public required string Kind { get; set; }

    /// <summary>The outbox row the VERP address named (hard, soft, complaint); null otherwise.</summary>
    public long? MessageId { get; set; }
    public int? ParticipantId { get; set; }
    public int? StudyId { get; set; }

    /// <summary>The RFC 3463 status code, e.g. 5.1.1.</summary>
    public string? Status { get; set; }

    /// <summary>The remote server's diagnostic with anything shaped like an address removed.</summary>
    public string? Detail { get; set; }
}

public static class BounceKind
{
    /// <summary>5.x.x: the address does not work.</summary>
    public const string Hard = "hard";

    /// <summary>4.x.x or "delayed": counted; undeliverable after Bounces:SoftBouncesInARow in a row.</summary>
    public const string Soft = "soft";

    /// <summary>An ARF (RFC 5965) abuse report: the participant is opted out of all email.</summary>
    public const string Complaint = "complaint";

    /// <summary>An auto-reply or out-of-office (RFC 3834): changes nothing.</summary>
    public const string AutoReply = "auto_reply";

    /// <summary>A DSN saying delivered, relayed or expanded: changes nothing.</summary>
    public const string Delivered = "delivered";

    /// <summary>Names one of our addresses with a wrong HMAC: changes nothing, counted.</summary>
    public const string Forged = "forged";

    /// <summary>Neither a report we can read nor one naming an email of ours: kept in the Unparsed folder, counted.</summary>
    public const string Unparsed = "unparsed";

    public static readonly string[] All = [Hard, Soft, Complaint, AutoReply, Delivered, Forged, Unparsed];
}

internal sealed class BounceReportConfiguration : IEntityTypeConfiguration<BounceReport>
{
    public void Configure(EntityTypeBuilder<BounceReport> entity)
    {
        entity.HasIndex(b => b.SourceHash).IsUnique();
        entity.Property(b => b.SourceHash).HasMaxLength(64);
        entity.Property(b => b.Kind).HasMaxLength(16);
        entity.Property(b => b.Status).HasMaxLength(16);
        entity.Property(b => b.Detail).HasMaxLength(500);
        entity.HasAllowedValues("bounce_report", "kind", BounceKind.All);
        entity.HasOne<Message>().WithMany().HasForeignKey(b => b.MessageId).OnDelete(DeleteBehavior.SetNull);
        entity.HasOne<Participant>().WithMany().HasForeignKey(b => b.ParticipantId).OnDelete(DeleteBehavior.Cascade);
        entity.HasOne<Studies.Study>().WithMany().HasForeignKey(b => b.StudyId).OnDelete(DeleteBehavior.Cascade);
        entity.HasIndex(b => new { b.ParticipantId, b.MessageId });
        entity.HasIndex(b => new { b.Kind, b.ReceivedAt });
    }
}

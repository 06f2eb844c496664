using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecoveryStudy.Data;
using RecoveryStudy.Scheduling;

namespace RecoveryStudy.Mail;

/// <summary>
/// One email to send: the transactional outbox. Unique per (invitation, kind, step), so that
/// planning twice can never queue the same email twice.
/// </summary>
public class Message
{
    public long Id { get; set; }
    public long InvitationId { get; set; }
    public required string Kind { get; set; }

    /// <summary>0 for the invitation and the last chance; 1, 2, ... for reminders.</summary>
    public int Step { get; set; }
    public string Status { get; set; } = MessageStatus.Queued;

    /// <summary>When the email is meant to go out (the first allowed moment).</summary>
    public DateTime DueAt { get; set; }

    /// <summary>When the dispatcher may next try it: due time, or later after a temporary failure.</summary>
    public DateTime NextAttemptAt { get; set; }
    public int Attempts { get; set; }
    public string? ClaimedBy { get; set; }
    public DateTime? ClaimedUntil { get; set; }
    public DateTime? SentAt { get; set; }

    /// <summary>The Message-ID header of the sent email (derived from <see cref="Id"/>).</summary>
    public string? SmtpMessageId { get; set; }

    /// <summary>The relay's last reply or the reason for failure or cancellation; never an address.</summary>
    public string? LastError { get; set; }
    public string? CancelReason { get; set; }

    /// <summary>Sends whose outcome could not be known (connection lost after the body went out).</summary>
    public int UnknownOutcomes { get; set; }

    /// <summary>When the message failed for good (the health check counts recent failures).</summary>
    public DateTime? FailedAt { get; set; }
    public DateTime CreatedAt { get; set; }

    public Invitation? Invitation { get; set; }
}

internal sealed class MessageConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> entity)
    {
        entity.HasIndex(m => new { m.InvitationId, m.Kind, m.Step }).IsUnique();
        entity.Property(m => m.Kind).HasMaxLength(16);
        entity.Property(m => m.Status).HasMaxLength(16);
        entity.Property(m => m.ClaimedBy).HasMaxLength(200);
        entity.Property(m => m.SmtpMessageId).HasMaxLength(255);
        entity.Property(m => m.LastError).HasMaxLength(1000);
        entity.Property(m => m.CancelReason).HasMaxLength(200);
        entity.HasAllowedValues("message", "kind", MessageKind.All);
        entity.HasAllowedValues("message", "status", MessageStatus.All);
        entity.ToTable(t => t.HasCheckConstraint("ck_message_step", "step >= 0"));
        entity.HasOne(m => m.Invitation).WithMany().HasForeignKey(m => m.InvitationId).OnDelete(DeleteBehavior.Cascade);
        // "What is due now": the dispatcher's claim reads queued rows in its own order (time, then id),
        // so it stops after a batch instead of joining and sorting everything due first.
        entity.HasIndex(m => new { m.NextAttemptAt, m.Id }).HasFilter("status = 'queued'").HasDatabaseName("ix_message_queued_next_attempt_at_id");
        // Claims whose dispatcher died: handed back once their lease ran out.
        entity.HasIndex(m => m.ClaimedUntil).HasFilter("status = 'sending'").HasDatabaseName("ix_message_sending_claimed_until");
        entity.HasIndex(m => m.FailedAt).HasFilter("status = 'failed'").HasDatabaseName("ix_message_failed_at");
    }
}

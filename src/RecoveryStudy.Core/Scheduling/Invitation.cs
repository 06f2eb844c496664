using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecoveryStudy.Data;
using RecoveryStudy.Participants;
using RecoveryStudy.Waves;

namespace RecoveryStudy.Scheduling;

/// <summary>One participant in one wave: when it is due, its window, and how far they got.</summary>
public class Invitation
{
    public long Id { get; set; }
    public int StudyId { get; set; }
    public int ParticipantId { get; set; }
    public int WaveId { get; set; }
    public string Status { get; set; } = InvitationStatus.Planned;
    public DateOnly DueDate { get; set; }
    public DateTime OpensAt { get; set; }
    public DateTime ClosesAt { get; set; }
    public DateTime PlannedAt { get; set; }
    public DateTime? SentAt { get; set; }
    public DateTime? FirstOpenedAt { get; set; }
    public DateTime? LastSavedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
    public DateTime? ExpiredAt { get; set; }

    /// <summary>The participant asked for no more reminders for this wave.</summary>
    public DateTime? RemindersStoppedAt { get; set; }

    /// <summary>
    /// When the plan job queued the reminders of this invitation after it went out; null while
    /// it is not sent, or sent and its reminders are still to be queued (the plan job's work).
    /// </summary>
    public DateTime? RemindersPlannedAt { get; set; }

    public Participant? Participant { get; set; }
    public Wave? Wave { get; set; }
}

internal sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> entity)
    {
        entity.HasIndex(i => new { i.ParticipantId, i.WaveId }).IsUnique();
        entity.Property(i => i.Status).HasMaxLength(16);
        entity.HasAllowedValues("invitation", "status", InvitationStatus.All);
        entity.ToTable(t => t.HasCheckConstraint("ck_invitation_window", "closes_at > opens_at"));
        entity.HasOne(i => i.Participant).WithMany().HasForeignKey(i => i.ParticipantId).OnDelete(DeleteBehavior.Cascade);
        entity.HasOne(i => i.Wave).WithMany().HasForeignKey(i => i.WaveId).OnDelete(DeleteBehavior.Restrict);
        entity.HasOne<Studies.Study>().WithMany().HasForeignKey(i => i.StudyId).OnDelete(DeleteBehavior.Cascade);
        // "Which open invitations have a window that ended": the expire job's query.
        entity.HasIndex(i => i.ClosesAt).HasFilter($"status IN ({InvitationStatus.OpenSqlList})").HasDatabaseName("ix_invitation_open_closes_at");
        entity.HasIndex(i => new { i.WaveId, i.Status });
        // "Which invitations went out and have their reminders still to queue": the plan job's third probe.
        entity.HasIndex(i => i.ParticipantId).HasFilter("sent_at IS NOT NULL AND reminders_planned_at IS NULL")
            .HasDatabaseName("ix_invitation_reminders_unplanned");
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecoveryStudy.Staff;

namespace RecoveryStudy.Interviews.Booking;

/// <summary>
/// A time the interviewer offers for one interview task; the participant books one of them from
/// their booking link. A task has at most one booked slot at a time: a unique index on the task
/// where <see cref="BookedAt"/> is set, so two bookings racing each other cannot both commit.
/// </summary>
public class InterviewSlot
{
    public long Id { get; set; }
    public long InterviewTaskId { get; set; }

    /// <summary>The interviewer who holds the time (the task's interviewer when the slot was offered).</summary>
    public int InterviewerId { get; set; }
    public DateTime StartsAt { get; set; }
    public DateTime EndsAt { get; set; }
    public required string Mode { get; set; }
    public DateTime? BookedAt { get; set; }

    /// <summary>When the participant's confirmation of this booking was claimed for sending (once per booking).</summary>
    public DateTime? ConfirmationSentAt { get; set; }
    public DateTime CreatedAt { get; set; }

    public int DurationMinutes => (int)(EndsAt - StartsAt).TotalMinutes;
}

internal sealed class InterviewSlotConfiguration : IEntityTypeConfiguration<InterviewSlot>
{
    public void Configure(EntityTypeBuilder<InterviewSlot> entity)
    {
        entity.Property(s => s.Mode).HasMaxLength(16);
        entity.HasIndex(s => new { s.InterviewTaskId, s.StartsAt });
        entity.HasIndex(s => new { s.InterviewerId, s.StartsAt });
        // The booking: one per task, whatever the number of requests at once.
        entity.HasIndex(s => s.InterviewTaskId).IsUnique().HasFilter("booked_at IS NOT NULL").HasDatabaseName("ux_interview_slot_booked_task");
        entity.ToTable(t =>
        {
            t.HasCheckConstraint("ck_interview_slot_mode", "mode IN ('in_person', 'phone', 'video')");
            t.HasCheckConstraint("ck_interview_slot_length", "ends_at > starts_at AND ends_at <= starts_at + interval '1 day'");
            t.HasCheckConstraint("ck_interview_slot_confirmation", "confirmation_sent_at IS NULL OR booked_at IS NOT NULL");
        });
        entity.HasOne<InterviewTask>().WithMany().HasForeignKey(s => s.InterviewTaskId).OnDelete(DeleteBehavior.Cascade);
        entity.HasOne<StaffUser>().WithMany().HasForeignKey(s => s.InterviewerId).OnDelete(DeleteBehavior.Cascade);
    }
}

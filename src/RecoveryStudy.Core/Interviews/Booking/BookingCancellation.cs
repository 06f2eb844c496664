using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecoveryStudy.Staff;

namespace RecoveryStudy.Interviews.Booking;

/// <summary>Who ended a booking.</summary>
public static class BookingCancellationCause
{
    public const string Participant = "participant";
    public const string Staff = "staff";
    public const string SlotWithdrawn = "slot_withdrawn";
}

/// <summary>
/// A booked time that was cancelled: by the participant, by staff from the task page, or because
/// staff withdrew the booked slot. Written in the transaction that ends the booking, with the time
/// it was for, so the emails about it can still say when. Each of its two emails (participant,
/// interviewer) is claimed by setting its column before the relay is contacted: never twice.
/// </summary>
public class BookingCancellation
{
    public long Id { get; set; }
    public long InterviewTaskId { get; set; }
    public int? InterviewerId { get; set; }
    public DateTime StartsAt { get; set; }
    public DateTime EndsAt { get; set; }
    public required string Mode { get; set; }
    public required string Cause { get; set; }
    public DateTime CancelledAt { get; set; }

    /// <summary>Staff's optional reason, for the study team only: never in an email, the audit log or an export.</summary>
    public string? Reason { get; set; }
    public DateTime? ParticipantMailSentAt { get; set; }
    public DateTime? InterviewerMailSentAt { get; set; }

    /// <summary>The cancellation of a booked slot, ready to add in the transaction that ends the booking.</summary>
    public static BookingCancellation Of(InterviewSlot slot, string cause, DateTime now, string? reason = null) => new()
    {
        InterviewTaskId = slot.InterviewTaskId, InterviewerId = slot.InterviewerId, StartsAt = slot.StartsAt, EndsAt = slot.EndsAt,
        Mode = slot.Mode, Cause = cause, CancelledAt = now, Reason = reason,
    };

    public const int MaxReasonLength = 500;
}

internal sealed class BookingCancellationConfiguration : IEntityTypeConfiguration<BookingCancellation>
{
    public void Configure(EntityTypeBuilder<BookingCancellation> entity)
    {
        entity.Property(c => c.Mode).HasMaxLength(16);
        entity.Property(c => c.Cause).HasMaxLength(16);
        entity.Property(c => c.Reason).HasMaxLength(BookingCancellation.MaxReasonLength);
        entity.HasIndex(c => c.InterviewTaskId);
        entity.ToTable(t => t.HasCheckConstraint("ck_booking_cancellation_cause", "cause IN ('participant', 'staff', 'slot_withdrawn')"));
        entity.HasOne<InterviewTask>().WithMany().HasForeignKey(c => c.InterviewTaskId).OnDelete(DeleteBehavior.Cascade);
        entity.HasOne<StaffUser>().WithMany().HasForeignKey(c => c.InterviewerId).OnDelete(DeleteBehavior.SetNull);
    }
}

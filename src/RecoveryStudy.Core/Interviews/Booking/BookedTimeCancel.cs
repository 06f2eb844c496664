using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;

namespace RecoveryStudy.Interviews.Booking;

/// <summary>
/// Ends a task's booking of a time still ahead, as the participant's booking page and staff's cancel
/// page both do: inside the caller's transaction, the task is locked as the booking page locks it (so
/// a booking racing the cancel is seen), the slot is freed and a <see cref="BookingCancellation"/> is
/// added for the emails about it. The caller audits and saves.
/// </summary>
public static class BookedTimeCancel
{
    /// <summary>The freed slot, or null when nothing ahead was booked (nothing changed).</summary>
    public static async Task<InterviewSlot?> CancelAsync(StudyDbContext db, long taskId, string cause, DateTime now, string? reason, CancellationToken ct)
    {
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM interview_tasks WHERE id = {taskId} FOR UPDATE", ct);
        var slot = await db.InterviewSlots.SingleOrDefaultAsync(s => s.InterviewTaskId == taskId && s.BookedAt != null && s.StartsAt > now, ct);
        if (slot is null)
        {
            return null;
        }
        slot.BookedAt = null;
        slot.ConfirmationSentAt = null;
        db.BookingCancellations.Add(BookingCancellation.Of(slot, cause, now, reason));
        return slot;
    }
}

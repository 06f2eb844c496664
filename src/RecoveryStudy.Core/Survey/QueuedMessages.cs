using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;

namespace RecoveryStudy.Survey;

/// <summary>
/// Cancels outbox rows that are still queued, inside the caller's transaction, so a completion
/// or an opt-out and the emails it stops commit together. A message already claimed by the
/// dispatcher is stopped by its own eligibility check at send time.
/// </summary>
internal static class QueuedMessages
{
    public const string ReasonCompleted = "completed";
    public const string ReasonRemindersStopped = "reminders_stopped";
    public const string ReasonOptedOut = "opted_out";
    public const string ReasonWithdrawn = "withdrawn";

    public static Task<int> CancelForInvitationAsync(StudyDbContext db, long invitationId, string reason, string[] kinds, CancellationToken ct) =>
        db.Messages
            .Where(m => m.InvitationId == invitationId && m.Status == MessageStatus.Queued && kinds.Contains(m.Kind))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MessageStatus.Cancelled).SetProperty(m => m.CancelReason, reason), ct);

    public static Task<int> CancelForParticipantAsync(StudyDbContext db, int participantId, string reason, CancellationToken ct) =>
        db.Messages
            .Where(m => m.Status == MessageStatus.Queued && db.Invitations.Any(i => i.Id == m.InvitationId && i.ParticipantId == participantId))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MessageStatus.Cancelled).SetProperty(m => m.CancelReason, reason), ct);
}

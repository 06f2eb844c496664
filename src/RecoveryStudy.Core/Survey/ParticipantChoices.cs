using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;

namespace RecoveryStudy.Survey;

/// <summary>What a participant can ask for from the unsubscribe page.</summary>
public enum ParticipantChoice
{
    StopReminders,
    StopAllEmail,
    Withdraw,
}

/// <summary>
/// Applies a participant's choice at once: the state change, the cancellation of queued email
/// and (for opt-out and withdrawal) an audit entry with codes only, all in one transaction.
/// Applying a choice twice changes nothing more.
/// </summary>
public static class ParticipantChoices
{
    public const int ReasonMaxLength = 2000;

    public static async Task<bool> ApplyAsync(StudyDbContext db, TimeProvider clock, long invitationId, ParticipantChoice choice, string? reason, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlInterpolatedAsync($"SELECT id FROM invitations WHERE id = {invitationId} FOR UPDATE", ct);
        var invitation = await db.Invitations.Include(i => i.Participant).FirstOrDefaultAsync(i => i.Id == invitationId, ct);
        if (invitation?.Participant is not { } participant)
        {
            return false;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        switch (choice)
        {
            case ParticipantChoice.StopReminders:
                invitation.RemindersStoppedAt ??= now;
                await db.SaveChangesAsync(ct);
                await QueuedMessages.CancelForInvitationAsync(db, invitation.Id, QueuedMessages.ReasonRemindersStopped,
                    [MessageKind.Reminder, MessageKind.LastChance], ct);
                break;
            case ParticipantChoice.StopAllEmail:
                if (participant.OptedOutAt is null)
                {
                    participant.OptedOutAt = now;
                    participant.UpdatedAt = now;
                    AuditLog.Add(db, clock, Actor.Participant, "participant.opt_out", participant.StudyId, "participant", participant.Id);
                }
                await db.SaveChangesAsync(ct);
                await QueuedMessages.CancelForParticipantAsync(db, participant.Id, QueuedMessages.ReasonOptedOut, ct);
                break;
            case ParticipantChoice.Withdraw:
                await WithdrawAsync(db, clock, participant, reason, Actor.Participant, ct);
                break;
        }
        await transaction.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// Withdraws a participant, asked by them or recorded by staff on their behalf: open
    /// invitations end, queued email is cancelled, answers already given are kept (an unfinished
    /// response is marked incomplete, as when a window closes). Runs inside
    /// the caller's transaction; withdrawing twice changes nothing more.
    /// </summary>
    public static async Task WithdrawAsync(StudyDbContext db, TimeProvider clock, Participants.Participant participant, string? reason, Actor actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (participant.Status != ParticipantStatus.Withdrawn)
        {
            participant.Status = ParticipantStatus.Withdrawn;
            participant.WithdrawnAt = now;
            participant.WithdrawalReason = Reason(reason);
            participant.UpdatedAt = now;
            AuditLog.Add(db, clock, actor, "participant.withdraw", participant.StudyId, "participant", participant.Id,
                new { reason_given = participant.WithdrawalReason is not null });
        }
        await db.SaveChangesAsync(ct);
        await db.Invitations
            .Where(i => i.ParticipantId == participant.Id && InvitationStatus.Open.Contains(i.Status))
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, InvitationStatus.Withdrawn), ct);
        await db.Responses
            .Where(r => r.Invitation!.ParticipantId == participant.Id && r.Status == ResponseStatus.InProgress)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, ResponseStatus.Incomplete).SetProperty(r => r.UpdatedAt, now), ct);
        await QueuedMessages.CancelForParticipantAsync(db, participant.Id, QueuedMessages.ReasonWithdrawn, ct);
    }

    private static string? Reason(string? reason)
    {
        var text = reason?.Trim();
        return string.IsNullOrEmpty(text) ? null : text.Length > ReasonMaxLength ? text[..ReasonMaxLength] : text;
    }
}

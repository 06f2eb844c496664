using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;
using RecoveryStudy.Survey;

namespace RecoveryStudy.DataRights;

/// <summary>
/// "Withdraw and erase" (GDPR art. 17), docs/data-rights.md: the participant is withdrawn, then
/// everything that is theirs is deleted (answers, response sessions, contact details, own anchor
/// dates, link tokens, copy requests, relay replies and bounce diagnostics about their emails, the
/// withdrawal reason in their own words). What stays is a pseudonymous tombstone that keeps the
/// study's figures whole: the participant row (status erased, a new code naming only the row,
/// cohort and role) and one invitation per planned wave, each now withdrawn, with the dates it was
/// due and sent, and the outbox rows with their step, state and times but no text. In the
/// response figures an erased participant counts as withdrawn in every wave.
/// </summary>
public static class ParticipantErasure
{
    public sealed record Result(int Responses, int Answers, int Invitations);

    /// <summary>The tombstone's code: unique in its study, and no longer the code the team's own lists know.</summary>
    public static string TombstoneCode(int participantId) => "erased-" + participantId.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Erases inside one transaction of its own; null when there is no such participant, or it
    /// was erased already (erasing twice changes nothing more).
    /// </summary>
    public static async Task<Result?> EraseAsync(StudyDbContext db, TimeProvider clock, int participantId, Actor actor, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlInterpolatedAsync($"SELECT id FROM participants WHERE id = {participantId} FOR UPDATE", ct);
        var participant = await db.Participants.SingleOrDefaultAsync(p => p.Id == participantId, ct);
        if (participant is null || participant.Status == ParticipantStatus.Erased)
        {
            return null;
        }
        await ParticipantChoices.WithdrawAsync(db, clock, participant, null, actor, ct);
        var now = clock.GetUtcNow().UtcDateTime;

        var invitations = db.Invitations.Where(i => i.ParticipantId == participantId);
        var answers = await db.Answers.Where(a => db.Responses.Any(r => r.Id == a.ResponseId && invitations.Any(i => i.Id == r.InvitationId))).ExecuteDeleteAsync(ct);
        var responses = await db.Responses.Where(r => invitations.Any(i => i.Id == r.InvitationId)).ExecuteDeleteAsync(ct);
        await db.AccessTokens.Where(t => invitations.Any(i => i.Id == t.InvitationId)).ExecuteDeleteAsync(ct);
        await db.ContactDetails.Where(c => c.ParticipantId == participantId).ExecuteDeleteAsync(ct);
        await db.Set<DataCopyRequest>().Where(r => r.ParticipantId == participantId).ExecuteDeleteAsync(ct);
        // Their consent answers go too: the tombstone counts as withdrawn, which needs no consent record.
        await db.Set<Consent.ConsentRecord>().Where(c => c.ParticipantId == participantId).ExecuteDeleteAsync(ct);
        await db.Set<Participants.ParticipantAnchor>().Where(a => a.ParticipantId == participantId).ExecuteDeleteAsync(ct);
        var invitationCount = await invitations.ExecuteUpdateAsync(s => s
            .SetProperty(i => i.Status, InvitationStatus.Withdrawn)
            .SetProperty(i => i.FirstOpenedAt, (DateTime?)null)
            .SetProperty(i => i.LastSavedAt, (DateTime?)null)
            .SetProperty(i => i.CompletedAt, (DateTime?)null)
            .SetProperty(i => i.RemindersStoppedAt, (DateTime?)null), ct);
        await db.Messages.Where(m => invitations.Any(i => i.Id == m.InvitationId))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LastError, (string?)null).SetProperty(m => m.ClaimedBy, (string?)null), ct);
        await db.BounceReports.Where(b => b.ParticipantId == participantId).ExecuteUpdateAsync(s => s.SetProperty(b => b.Detail, (string?)null), ct);

        participant.Status = ParticipantStatus.Erased;
        participant.ErasedAt = now;
        participant.Code = TombstoneCode(participantId);
        participant.WithdrawalReason = null;
        participant.PlanAgainAt = null;
        participant.UpdatedAt = now;
        // Counts only: the audit log must hold nothing an erasure has to find again.
        AuditLog.Add(db, clock, actor, "participant.erase", participant.StudyId, "participant", participantId,
            new { responses, answers, invitations = invitationCount });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new Result(responses, answers, invitationCount);
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Participants;
using RecoveryStudy.Scheduling;
using RecoveryStudy.Staff;
using RecoveryStudy.Survey;
using RecoveryStudy.Web.Auth;
using Microsoft.Extensions.Localization;

namespace RecoveryStudy.Web.Pages.Console.Participants;

/// <summary>
/// Sends an invitation's link again, for a participant who lost the email or whose link may
/// have leaked: every token of the invitation is revoked at once (ending the sessions opened
/// with them), and the invitation email is
/// queued again; the dispatcher puts fresh tokens into it when it sends.
/// </summary>
[Authorize(Policy = StaffPolicies.Contacts)]
public sealed class ResendModel(StudyDbContext db, TimeProvider clock, IStringLocalizer<ConsoleText> text) : PageModel
{
    public Participant Participant { get; private set; } = null!;
    public StudyNav Nav { get; private set; } = null!;
    public IReadOnlyList<Invitation> Resendable { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(int id, long invitationId, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        var invitation = Resendable.SingleOrDefault(i => i.Id == invitationId);
        if (invitation is null)
        {
            TempData["Notice"] = text["ResendRefused"].Value;
            return RedirectToPage("/Console/Participants/Details", new { id });
        }
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var revoked = await ParticipantLinks.RevokeAsync(db, invitationId, now, ct);
        var message = await db.Messages.SingleOrDefaultAsync(m => m.InvitationId == invitationId && m.Kind == MessageKind.Invitation && m.Step == 0, ct);
        if (message is null)
        {
            message = new Mail.Message { InvitationId = invitationId, Kind = MessageKind.Invitation, Step = 0, DueAt = now, CreatedAt = now };
            db.Messages.Add(message);
        }
        message.Status = MessageStatus.Queued;
        message.NextAttemptAt = now;
        message.Attempts = 0;
        message.FailedAt = null;
        message.LastError = null;
        message.CancelReason = null;
        message.ClaimedBy = null;
        message.ClaimedUntil = null;
        AuditLog.Add(db, clock, User.Actor(), "invitation.resend", Participant.StudyId, "invitation", invitationId, new { tokens_revoked = revoked });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        TempData["Notice"] = text["ResendQueued", invitation.Wave?.Code ?? ""].Value;
        return RedirectToPage("/Console/Participants/Details", new { id });
    }

    private async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        var participant = await db.Participants.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct);
        if (participant is null)
        {
            return false;
        }
        Participant = participant;
        Nav = (await StudyNav.LoadAsync(db, participant.StudyId, "participants", ct))!;
        var reachable = participant.Status == ParticipantStatus.Active && participant.OptedOutAt is null && participant.UndeliverableAt is null;
        Resendable = !reachable ? [] : await db.Invitations.AsNoTracking().Include(i => i.Wave)
            .Where(i => i.ParticipantId == id && i.SentAt != null && InvitationStatus.Open.Contains(i.Status))
            .OrderBy(i => i.Wave!.Position).ToListAsync(ct);
        return true;
    }
}

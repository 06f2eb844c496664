using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Consent;
using RecoveryStudy.Data;
using RecoveryStudy.Mail;
using RecoveryStudy.Participants;
using RecoveryStudy.Scheduling;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Web.Pages.Console.Participants;

/// <summary>
/// One participant: anchors, invitations and every message with its outcome. Pseudonymous:
/// contact details are on their own page, which only researchers and admins reach.
/// </summary>
[Authorize(Policy = StaffPolicies.AnyStaff)]
public sealed class DetailsModel(StudyDbContext db) : PageModel
{
    public sealed record AnchorRow(string Name, DateOnly? Own, DateOnly? Cohort);

    public Participant Participant { get; private set; } = null!;
    public StudyNav Nav { get; private set; } = null!;
    public IReadOnlyList<AnchorRow> Anchors { get; private set; } = [];
    public IReadOnlyList<Invitation> Invitations { get; private set; } = [];
    public ILookup<long, Message> Messages { get; private set; } = Array.Empty<Message>().ToLookup(m => m.InvitationId);
    /// <summary>The participant's consent answers, newest first (docs/protocol.md, "Informed consent").</summary>
    public IReadOnlyList<ConsentRecord> Consents { get; private set; } = [];
    public bool CanAct => HttpContext.StudyGrant()?.SeesContacts == true;

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        var participant = await db.Participants.AsNoTracking().Include(p => p.Cohort).ThenInclude(c => c!.Anchors).Include(p => p.Anchors)
            .AsSingleQuery().SingleOrDefaultAsync(p => p.Id == id, ct);
        if (participant is null)
        {
            return NotFound();
        }
        Participant = participant;
        Nav = (await StudyNav.LoadAsync(db, participant.StudyId, "participants", ct))!;
        var cohortAnchors = participant.Cohort?.Anchors.ToDictionary(a => a.Name, a => a.Date) ?? [];
        var own = participant.Anchors.ToDictionary(a => a.Name, a => a.Date);
        Anchors = own.Keys.Union(cohortAnchors.Keys).Order(StringComparer.Ordinal)
            .Select(n => new AnchorRow(n, own.TryGetValue(n, out var o) ? o : null, cohortAnchors.TryGetValue(n, out var c) ? c : null))
            .ToList();
        Invitations = await db.Invitations.AsNoTracking().Include(i => i.Wave).Where(i => i.ParticipantId == id)
            .OrderBy(i => i.Wave!.Position).ThenBy(i => i.DueDate).ToListAsync(ct);
        var invitationIds = Invitations.Select(i => i.Id).ToList();
        Messages = (await db.Messages.AsNoTracking().Where(m => invitationIds.Contains(m.InvitationId))
            .OrderBy(m => m.DueAt).ToListAsync(ct)).ToLookup(m => m.InvitationId);
        Consents = await db.ConsentRecords.AsNoTracking().Where(c => c.ParticipantId == id)
            .OrderByDescending(c => c.GivenAt).ToListAsync(ct);
        return Page();
    }
}

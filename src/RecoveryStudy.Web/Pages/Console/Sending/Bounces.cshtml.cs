using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Bounces;
using RecoveryStudy.Data;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Web.Pages.Console.Sending;

/// <summary>
/// What came back to the bounce mailbox for this study's emails (the `bounces` job): hard and soft
/// bounces and complaints, newest first, with the status code and the remote server's reason, and
/// whether each participant is now undeliverable or opted out. Reports that named no email of
/// this platform (forged, unreadable) are counted across studies, since they belong to none.
/// </summary>
[Authorize(Policy = StaffPolicies.Contacts)]
public sealed class BouncesModel(StudyDbContext db) : PageModel
{
    public const int PageSize = 200;

    public sealed record Row(int ParticipantId, string Participant, DateTime ReceivedAt, string Kind, string? Status, string? Detail,
        bool Undeliverable, bool OptedOut);

    public StudyNav Nav { get; private set; } = null!;
    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public Dictionary<string, int> Counts { get; private set; } = [];
    public int Forged { get; private set; }
    public int Unparsed { get; private set; }

    public async Task<IActionResult> OnGetAsync(int studyId, CancellationToken ct)
    {
        if (await StudyNav.LoadAsync(db, studyId, "bounces", ct) is not { } nav)
        {
            return NotFound();
        }
        Nav = nav;
        // Reports of participants the member may see (the participant filter: sites).
        var ofStudy = db.BounceReports.AsNoTracking().Where(b => b.StudyId == studyId && (b.ParticipantId == null || db.Participants.Any(p => p.Id == b.ParticipantId)));
        Counts = await ofStudy.GroupBy(b => b.Kind).ToDictionaryAsync(g => g.Key, g => g.Count(), ct);
        Rows = await ofStudy
            .Where(b => b.Kind == BounceKind.Hard || b.Kind == BounceKind.Soft || b.Kind == BounceKind.Complaint)
            .OrderByDescending(b => b.ReceivedAt).ThenByDescending(b => b.Id)
            .Take(PageSize)
            .Join(db.Participants, b => b.ParticipantId, p => p.Id, (b, p) => new Row(p.Id, p.Code, b.ReceivedAt, b.Kind, b.Status, b.Detail,
                p.UndeliverableAt != null, p.OptedOutAt != null))
            .ToListAsync(ct);
        Forged = await db.BounceReports.CountAsync(b => b.Kind == BounceKind.Forged, ct);
        Unparsed = await db.BounceReports.CountAsync(b => b.Kind == BounceKind.Unparsed, ct);
        return Page();
    }
}

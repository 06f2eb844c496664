using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.DataRights;
using RecoveryStudy.Participants;
using RecoveryStudy.Staff;
using RecoveryStudy.Web.Auth;
using Microsoft.Extensions.Localization;

namespace RecoveryStudy.Web.Pages.Console.Participants;

/// <summary>
/// A copy of everything held about one participant (docs/data-rights.md), for a researcher to
/// hand over when the participant asks: JSON or one self-contained HTML file. It holds contact
/// details, so only members with contact rights get it, and every download is audited.
/// </summary>
[Authorize(Policy = StaffPolicies.Contacts)]
public sealed class DataCopyModel(StudyDbContext db, TimeProvider clock, IStringLocalizer<ConsoleText> text) : PageModel
{
    public static readonly string[] Formats = ["json", "html"];

    public Participant Participant { get; private set; } = null!;
    public StudyNav Nav { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(int id, string? format, CancellationToken ct)
    {
        var participant = await db.Participants.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct);
        if (participant is null)
        {
            return NotFound();
        }
        Participant = participant;
        Nav = (await StudyNav.LoadAsync(db, participant.StudyId, "participants", ct))!;
        if (format is null)
        {
            return Page();
        }
        if (!Formats.Contains(format))
        {
            return BadRequest(text["DataCopy_ErrFormat"].Value);
        }
        var copy = (await ParticipantDataCopy.LoadAsync(db, id, clock.GetUtcNow().UtcDateTime, ct))!;
        AuditLog.Add(db, clock, User.Actor(), "participant.data_copy", participant.StudyId, "participant", id, new { format, via = "console" });
        await db.SaveChangesAsync(ct);
        Response.Headers.CacheControl = "no-store";
        var name = $"participant-{id}-data.{format}";
        return format == "json"
            ? File(System.Text.Encoding.UTF8.GetBytes(copy.ToJson()), "application/json", name)
            : File(System.Text.Encoding.UTF8.GetBytes(ParticipantDataCopyHtml.Render(copy)), "text/html; charset=utf-8", name);
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Participants;
using RecoveryStudy.Staff;
using RecoveryStudy.Web.Auth;
using Microsoft.Extensions.Localization;

namespace RecoveryStudy.Web.Pages.Console.Participants;

/// <summary>
/// A participant's flags, such as selected_for_interview: the marks a wave's requires_flag asks for.
/// Setting one plans the wave's task, clearing it removes a task not yet done (a database trigger
/// marks the participant for re-planning). Every change is audited.
/// </summary>
[Authorize(Policy = StaffPolicies.Contacts)]
public sealed class FlagsModel(StudyDbContext db, TimeProvider clock, IStringLocalizer<ConsoleText> text) : PageModel
{
    public Participant Participant { get; private set; } = null!;
    public StudyNav Nav { get; private set; } = null!;

    /// <summary>The flags the study's waves require, with the waves that require each.</summary>
    public IReadOnlyList<(string Flag, string Waves)> Known { get; private set; } = [];

    [BindProperty]
    public List<string> Set { get; set; } = [];

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        Set = [.. Participant.Flags];
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        var unknown = Set.Where(f => !Known.Any(k => k.Flag == f)).ToList();
        if (unknown.Count > 0)
        {
            ModelState.AddModelError(nameof(Set), text["Flags_ErrUnknown", string.Join(", ", unknown)]);
            return Page();
        }
        // Flags no wave asks for any more are kept: this form only speaks for the ones it shows.
        var wanted = Participant.Flags.Where(f => !Known.Any(k => k.Flag == f)).Union(Set).Distinct().Order(StringComparer.Ordinal).ToArray();
        var added = wanted.Except(Participant.Flags).ToList();
        var removed = Participant.Flags.Except(wanted).ToList();
        if (added.Count + removed.Count > 0)
        {
            Participant.Flags = wanted;
            Participant.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            AuditLog.Add(db, clock, User.Actor(), "participant.flags", Participant.StudyId, "participant", id, new { set = added, cleared = removed });
            await db.SaveChangesAsync(ct);
        }
        TempData["Notice"] = added.Count + removed.Count == 0 ? text["Flags_NoChange"].Value
            : string.Join(" ", new[] { added.Count > 0 ? text["Flags_Set", string.Join(", ", added)].Value : "", removed.Count > 0 ? text["Flags_Cleared", string.Join(", ", removed)].Value : "" }.Where(s => s.Length > 0));
        return RedirectToPage("/Console/Participants/Details", new { id });
    }

    private async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        var participant = await db.Participants.SingleOrDefaultAsync(p => p.Id == id, ct);
        if (participant is null)
        {
            return false;
        }
        Participant = participant;
        Nav = (await StudyNav.LoadAsync(db, participant.StudyId, "participants", ct))!;
        var waves = await db.Waves.Where(w => w.StudyId == participant.StudyId && w.RequiresFlag != null)
            .OrderBy(w => w.Position).Select(w => new { Flag = w.RequiresFlag!, w.Code }).ToListAsync(ct);
        Known = [.. waves.GroupBy(w => w.Flag).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, string.Join(", ", g.Select(w => w.Code))))];
        return true;
    }
}

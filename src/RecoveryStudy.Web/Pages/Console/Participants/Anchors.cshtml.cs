using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Participants;
using RecoveryStudy.Staff;
using RecoveryStudy.Studies;
using RecoveryStudy.Web.Auth;
using Microsoft.Extensions.Localization;

namespace RecoveryStudy.Web.Pages.Console.Participants;

/// <summary>
/// A participant's own anchor dates. An empty field falls back to the cohort's date. The
/// scheduler re-plans the participant when their anchors change (a database trigger marks them).
/// A team-only anchor shows the team's date and takes no own date: one posted anyway is refused, nothing saved.
/// </summary>
[Authorize(Policy = StaffPolicies.Contacts)]
public sealed class AnchorsModel(StudyDbContext db, TimeProvider clock, IStringLocalizer<ConsoleText> text) : PageModel
{
    public Participant Participant { get; private set; } = null!;
    public StudyNav Nav { get; private set; } = null!;
    public IReadOnlyList<string> Names { get; private set; } = [];
    public Dictionary<string, DateOnly> CohortDates { get; private set; } = [];
    public IReadOnlySet<string> TeamOnly { get; private set; } = new HashSet<string>();

    [BindProperty]
    public Dictionary<string, DateOnly?> Dates { get; set; } = [];

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        Dates = Participant.Anchors.ToDictionary(a => a.Name, a => (DateOnly?)a.Date);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        foreach (var name in TeamOnly.Where(n => Dates.GetValueOrDefault(n) is not null))
        {
            ModelState.AddModelError($"Dates[{name}]", text["Fact_AnchorTeamOnlyRefused", name].Value);
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var changed = new List<string>();
        foreach (var name in Names.Where(n => !TeamOnly.Contains(n)))
        {
            var wanted = Dates.GetValueOrDefault(name);
            var current = Participant.Anchors.SingleOrDefault(a => a.Name == name);
            if (wanted is null && current is not null)
            {
                Participant.Anchors.Remove(current);
                changed.Add(name);
            }
            else if (wanted is DateOnly date && current is null)
            {
                Participant.Anchors.Add(new ParticipantAnchor { ParticipantId = id, Name = name, Date = date });
                changed.Add(name);
            }
            else if (wanted is DateOnly newDate && current is not null && current.Date != newDate)
            {
                current.Date = newDate;
                changed.Add(name);
            }
        }
        if (changed.Count > 0)
        {
            Participant.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            AuditLog.Add(db, clock, User.Actor(), "participant.anchors", Participant.StudyId, "participant", id, new { anchors = changed });
            await db.SaveChangesAsync(ct);
        }
        TempData["Notice"] = changed.Count == 0 ? text["AnchorsUnchanged"].Value : text["AnchorsSaved", string.Join(", ", changed)].Value;
        return RedirectToPage("/Console/Participants/Details", new { id });
    }

    private async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        var participant = await db.Participants.Include(p => p.Anchors).Include(p => p.Cohort).ThenInclude(c => c!.Anchors)
            .AsSingleQuery().SingleOrDefaultAsync(p => p.Id == id, ct);
        if (participant is null)
        {
            return false;
        }
        Participant = participant;
        TeamOnly = AnchorScope.TeamOnly(await db.Studies.AsNoTracking().SingleAsync(s => s.Id == participant.StudyId, ct));
        Nav = (await StudyNav.LoadAsync(db, participant.StudyId, "participants", ct))!;
        CohortDates = participant.Cohort?.Anchors.ToDictionary(a => a.Name, a => a.Date) ?? [];
        var waveAnchors = await db.Waves.Where(w => w.StudyId == participant.StudyId).Select(w => w.Anchor).Distinct().ToListAsync(ct);
        Names = waveAnchors.Union(CohortDates.Keys).Union(participant.Anchors.Select(a => a.Name)).Order(StringComparer.Ordinal).ToList();
        return true;
    }
}

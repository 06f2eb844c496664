using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using RecoveryStudy.Data;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Web.Pages.Console.Studies;

/// <summary>
/// Every participant against every wave (as REDCap's record status dashboard): one row per
/// participant code, one coloured, labelled cell per wave. Codes and cohorts only, never contact
/// details, so every staff role that sees the dashboard sees this page.
/// </summary>
[Authorize(Policy = StaffPolicies.AnyStaff)]
public sealed class GridModel(StudyDbContext db, IStringLocalizer<ConsoleText> text) : PageModel
{
    public const int PageSize = 50;

    public sealed record WaveColumn(int Id, string Code, string[] Roles);

    public sealed record Row(int Id, string Code, string? Cohort, IReadOnlyList<GridStatus.Cell> Cells);

    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Cohort { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Wave { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public StudyNav Nav { get; private set; } = null!;
    public IReadOnlyList<WaveColumn> Waves { get; private set; } = [];
    public IReadOnlyDictionary<string, string> Cohorts { get; private set; } = new Dictionary<string, string>();
    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public int Total { get; private set; }
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(int studyId, CancellationToken ct)
    {
        if (await StudyNav.LoadAsync(db, studyId, "grid", ct) is not { } nav)
        {
            return NotFound();
        }
        Nav = nav;
        Waves = await db.Waves.AsNoTracking().Where(w => w.StudyId == studyId).OrderBy(w => w.Position).ThenBy(w => w.Code)
            .Select(w => new WaveColumn(w.Id, w.Code, w.Roles)).ToListAsync(ct);
        Cohorts = await db.Cohorts.AsNoTracking().Where(c => c.StudyId == studyId).OrderBy(c => c.Code).ToDictionaryAsync(c => c.Code, c => c.Name, ct);
        Problem = CheckFilters();
        if (Problem is not null)
        {
            return Page();
        }

        var participants = await db.Participants.AsNoTracking().Where(p => p.StudyId == studyId)
            .Where(p => Cohort == null || p.Cohort!.Code == Cohort)
            .OrderBy(p => p.Code)
            .Select(p => new { p.Id, p.Code, Cohort = p.Cohort!.Code, p.Role, p.Status, OptedOut = p.OptedOutAt != null })
            .ToListAsync(ct);
        if (!string.IsNullOrWhiteSpace(Q))
        {
            participants = participants.Where(p => p.Code.Contains(Q.Trim(), StringComparison.OrdinalIgnoreCase)).ToList();
        }
        var invitations = (await db.Invitations.AsNoTracking().Where(i => i.StudyId == studyId)
                .Select(i => new
                {
                    i.ParticipantId, i.WaveId, i.Status, Sent = i.SentAt != null,
                    HasResponse = db.Responses.Any(r => r.InvitationId == i.Id),
                    Reminders = db.Messages.Count(m => m.InvitationId == i.Id && m.Kind != MessageKind.Invitation && m.Status == MessageStatus.Sent),
                })
                .ToListAsync(ct))
            .ToDictionary(i => (i.ParticipantId, i.WaveId), i => new GridStatus.InvitationFacts(i.Status, i.Sent, i.HasResponse, i.Reminders));

        var waveFilter = Waves.Select((w, n) => (w, n)).Where(x => Wave == null || x.w.Code == Wave).Select(x => x.n).ToList();
        var rows = participants
            .Select(p => new Row(p.Id, p.Code, p.Cohort, Waves.Select(w => GridStatus.Of(
                w.Roles.Length == 0 || w.Roles.Contains(p.Role) || invitations.ContainsKey((p.Id, w.Id)),
                p.Status, p.OptedOut, invitations.GetValueOrDefault((p.Id, w.Id)))).ToList()))
            .Where(r => string.IsNullOrEmpty(Status) || waveFilter.Any(n => r.Cells[n].Status == Status))
            .ToList();
        Total = rows.Count;
        PageNumber = Math.Clamp(PageNumber, 1, Pages);
        Rows = rows.Skip((PageNumber - 1) * PageSize).Take(PageSize).ToList();
        return Page();
    }

    /// <summary>A filter value the page does not offer gets a message naming the filter, and no rows.</summary>
    private string? CheckFilters()
    {
        if (!string.IsNullOrEmpty(Cohort) && !Cohorts.ContainsKey(Cohort))
        {
            return text["GridBadCohort", Cohort];
        }
        if (!string.IsNullOrEmpty(Status) && !GridStatus.All.Contains(Status))
        {
            return text["GridBadStatus", Status, string.Join(", ", GridStatus.All)];
        }
        if (!string.IsNullOrEmpty(Wave) && Waves.All(w => w.Code != Wave))
        {
            return text["GridBadWave", Wave];
        }
        return null;
    }

    public string PageLink(int page) =>
        Url.Page("/Console/Studies/Grid", new { studyId = Nav.StudyId, q = Q, cohort = Cohort, status = Status, wave = Wave, p = page })!;
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Participants;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Web.Pages.Console.Participants;

/// <summary>
/// Participants of a study, searched by code (researchers and admins also by email or name,
/// which is never shown here) and filtered by cohort, role, status and one wave's status.
/// </summary>
[Authorize(Policy = StaffPolicies.AnyStaff)]
public sealed class IndexModel(StudyDbContext db) : PageModel
{
    public const int PageSize = 50;
    public static readonly string[] Statuses = [ParticipantStatus.Active, ParticipantStatus.Withdrawn, ParticipantStatus.Erased, "undeliverable", "opted_out"];

    public sealed record Row(int Id, string Code, string? Cohort, string Role, string Status, bool Undeliverable, bool OptedOut, string? WaveStatus);

    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public int? Cohort { get; set; }
    [BindProperty(SupportsGet = true)] public string? Role { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public int? Wave { get; set; }
    [BindProperty(SupportsGet = true)] public string? WaveStatus { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public StudyNav Nav { get; private set; } = null!;
    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public int Total { get; private set; }
    public Dictionary<int, string> Cohorts { get; private set; } = [];
    public Dictionary<int, string> Waves { get; private set; } = [];
    public IReadOnlyList<string> Roles { get; private set; } = [];
    public bool CanSearchContacts => HttpContext.StudyGrant()?.SeesContacts == true;

    public async Task<IActionResult> OnGetAsync(int studyId, CancellationToken ct)
    {
        if (await StudyNav.LoadAsync(db, studyId, "participants", ct) is not { } nav)
        {
            return NotFound();
        }
        Nav = nav;
        Cohorts = await db.Cohorts.AsNoTracking().Where(c => c.StudyId == studyId).OrderBy(c => c.Code).ToDictionaryAsync(c => c.Id, c => c.Code, ct);
        Waves = await db.Waves.AsNoTracking().Where(w => w.StudyId == studyId).OrderBy(w => w.Position).ToDictionaryAsync(w => w.Id, w => w.Code, ct);
        Roles = await db.Participants.AsNoTracking().Where(p => p.StudyId == studyId).Select(p => p.Role).Distinct().OrderBy(r => r).ToListAsync(ct);

        var query = Filter(db.Participants.AsNoTracking().Where(p => p.StudyId == studyId));
        Total = await query.CountAsync(ct);
        PageNumber = Math.Clamp(PageNumber, 1, Math.Max(1, (Total + PageSize - 1) / PageSize));
        var waveId = Wave;
        Rows = await query.OrderBy(p => p.Code).Skip((PageNumber - 1) * PageSize).Take(PageSize)
            .Select(p => new Row(p.Id, p.Code, p.Cohort!.Code, p.Role, p.Status, p.UndeliverableAt != null, p.OptedOutAt != null,
                waveId == null ? null : db.Invitations.Where(i => i.ParticipantId == p.Id && i.WaveId == waveId).Select(i => i.Status).FirstOrDefault()))
            .ToListAsync(ct);
        return Page();
    }

    private IQueryable<Participant> Filter(IQueryable<Participant> query)
    {
        if (!string.IsNullOrWhiteSpace(Q))
        {
            var text = Q.Trim();
            var pattern = "%" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
            query = CanSearchContacts
                ? query.Where(p => EF.Functions.ILike(p.Code, pattern) || (p.Contact != null && (EF.Functions.ILike(p.Contact.Email, pattern) || EF.Functions.ILike(p.Contact.Name ?? "", pattern))))
                : query.Where(p => EF.Functions.ILike(p.Code, pattern));
        }
        if (Cohort is int cohort)
        {
            query = query.Where(p => p.CohortId == cohort);
        }
        if (!string.IsNullOrEmpty(Role))
        {
            query = query.Where(p => p.Role == Role);
        }
        query = Status switch
        {
            ParticipantStatus.Active or ParticipantStatus.Withdrawn or ParticipantStatus.Erased => query.Where(p => p.Status == Status),
            "undeliverable" => query.Where(p => p.UndeliverableAt != null),
            "opted_out" => query.Where(p => p.OptedOutAt != null),
            _ => query,
        };
        if (Wave is int wave && !string.IsNullOrEmpty(WaveStatus))
        {
            query = WaveStatus == "none"
                ? query.Where(p => !db.Invitations.Any(i => i.ParticipantId == p.Id && i.WaveId == wave))
                : query.Where(p => db.Invitations.Any(i => i.ParticipantId == p.Id && i.WaveId == wave && i.Status == WaveStatus));
        }
        return query;
    }

    public string PageLink(int page) =>
        QueryString.Create(new Dictionary<string, string?>
        {
            ["q"] = Q, ["cohort"] = Cohort?.ToString(System.Globalization.CultureInfo.InvariantCulture), ["role"] = Role, ["status"] = Status,
            ["wave"] = Wave?.ToString(System.Globalization.CultureInfo.InvariantCulture), ["waveStatus"] = WaveStatus,
            ["p"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }.Where(kv => !string.IsNullOrEmpty(kv.Value))).ToString();
}

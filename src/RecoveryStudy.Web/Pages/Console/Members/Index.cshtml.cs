using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Web.Pages.Console.Members;

/// <summary>
/// A study's members (admins only): add an account with a role, change its role or sites, remove it.
/// Sites are cohorts of this study; none ticked means the whole study. Every change is audited and
/// takes effect at the member's next request (memberships are read on every request).
/// </summary>
[Authorize(Policy = StaffPolicies.Admin)]
public sealed class IndexModel(StudyDbContext db, TimeProvider clock, IStringLocalizer<ConsoleText> text) : PageModel
{
    public sealed record Row(int UserId, string Email, string AccountRole, string Role, int[]? Sites);

    public StudyNav Nav { get; private set; } = null!;
    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public Dictionary<int, string> Cohorts { get; private set; } = [];
    public IReadOnlyList<(int Id, string Email)> Others { get; private set; } = [];
    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(int studyId, CancellationToken ct) =>
        await LoadAsync(studyId, ct) ? Page() : NotFound();

    /// <summary>Adds a member, or changes an existing member's role and sites.</summary>
    public async Task<IActionResult> OnPostSetAsync(int studyId, int userId, string? role, int[]? sites, CancellationToken ct)
    {
        if (!await LoadAsync(studyId, ct))
        {
            return NotFound();
        }
        var chosen = (sites ?? []).Distinct().Order().ToArray();
        Problem = role is null || !StudyMemberRole.All.Contains(role) ? text["Members_BadRole", string.Join(", ", StudyMemberRole.All)].Value
            : chosen.FirstOrDefault(c => !Cohorts.ContainsKey(c)) is var unknown and not 0 ? text["Members_BadSite", unknown].Value
            : !await db.StaffUsers.AnyAsync(u => u.Id == userId && u.Role != StaffRole.Admin, ct) ? text["Members_BadAccount"].Value
            : null;
        if (Problem is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var member = await db.StudyMembers.SingleOrDefaultAsync(m => m.StudyId == studyId && m.StaffUserId == userId, ct);
        var before = member is null ? null : new { role = member.Role, sites = member.CohortIds };
        if (member is null)
        {
            member = new StudyMember { StaffUserId = userId, StudyId = studyId, Role = role!, CreatedAt = clock.GetUtcNow().UtcDateTime };
            db.StudyMembers.Add(member);
        }
        member.Role = role!;
        member.CohortIds = chosen.Length == 0 ? null : chosen;
        AuditLog.Add(db, clock, User.Actor(), before is null ? "study.member_add" : "study.member_change", studyId, "staff_user", userId,
            new { before, after = new { role, sites = member.CohortIds } });
        await db.SaveChangesAsync(ct);
        TempData["Notice"] = text["Members_Saved"].Value;
        return RedirectToPage(new { studyId });
    }

    public async Task<IActionResult> OnPostRemoveAsync(int studyId, int userId, CancellationToken ct)
    {
        var member = await db.StudyMembers.SingleOrDefaultAsync(m => m.StudyId == studyId && m.StaffUserId == userId, ct);
        if (member is null)
        {
            return NotFound();
        }
        db.StudyMembers.Remove(member);
        AuditLog.Add(db, clock, User.Actor(), "study.member_remove", studyId, "staff_user", userId, new { role = member.Role, sites = member.CohortIds });
        await db.SaveChangesAsync(ct);
        TempData["Notice"] = text["Members_Removed"].Value;
        return RedirectToPage(new { studyId });
    }

    public string SiteNames(int[]? sites) =>
        sites is null ? text["Members_WholeStudy"].Value : string.Join(", ", sites.Select(s => Cohorts.GetValueOrDefault(s, $"#{s}")));

    private async Task<bool> LoadAsync(int studyId, CancellationToken ct)
    {
        if (await StudyNav.LoadAsync(db, studyId, "members", ct) is not { } nav)
        {
            return false;
        }
        Nav = nav;
        Cohorts = await db.Cohorts.AsNoTracking().Where(c => c.StudyId == studyId).OrderBy(c => c.Code).ToDictionaryAsync(c => c.Id, c => c.Code, ct);
        Rows = await (from m in db.StudyMembers.AsNoTracking()
                      join u in db.StaffUsers on m.StaffUserId equals u.Id
                      where m.StudyId == studyId
                      orderby u.Email
                      select new Row(u.Id, u.Email, u.Role, m.Role, m.CohortIds)).ToListAsync(ct);
        var members = Rows.Select(r => r.UserId).ToList();
        Others = (await db.StaffUsers.AsNoTracking().Where(u => u.Role != StaffRole.Admin && !u.Disabled && !members.Contains(u.Id))
            .OrderBy(u => u.Email).Select(u => new { u.Id, u.Email }).ToListAsync(ct)).Select(u => (u.Id, u.Email)).ToList();
        return true;
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Web.Pages.Console;

/// <summary>The console's home: every study with its size, each leading to its dashboard.</summary>
[Authorize(Policy = StaffPolicies.AnyStaff)]
public sealed class IndexModel(StudyDbContext db, StudyAccess access) : PageModel
{
    public sealed record StudyRow(int Id, string Code, string Title, string Status, int Participants, int Waves);

    public IReadOnlyList<StudyRow> Studies { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        // Member studies only (admins: all); participant counts obey the account's sites.
        var visible = await access.VisibleStudiesAsync(User, ct);
        var studies = await db.Studies.AsNoTracking().Where(s => visible == null || visible.Contains(s.Id)).OrderBy(s => s.Code)
            .Select(s => new
            {
                s.Id, s.Code, s.Title, s.Status,
                Participants = db.Participants.Count(p => p.StudyId == s.Id),
                Waves = db.Waves.Count(w => w.StudyId == s.Id),
            })
            .ToListAsync(ct);
        Studies = studies.Select(s => new StudyRow(s.Id, s.Code, s.Title.For(ConsoleLanguage.Current), s.Status, s.Participants, s.Waves)).ToList();
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Interviews;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Web.Pages.Console.Interviews;

/// <summary>
/// A study's interview tasks with their counts per status, filtered by interviewer or to the signed-in
/// staff member's own ("my tasks"). Every staff role may read it (codes only); recording is on the
/// task page, for researchers.
/// </summary>
[Authorize(Policy = StaffPolicies.AnyStaff)]
public sealed class IndexModel(StudyDbContext db) : PageModel
{
    public StudyNav Nav { get; private set; } = null!;
    public IReadOnlyList<InterviewRow> Rows { get; private set; } = [];
    public IReadOnlyDictionary<string, int> Counts { get; private set; } = new Dictionary<string, int>();
    public IReadOnlyList<(int Id, string Email)> Interviewers { get; private set; } = [];

    /// <summary>The participant's booked time of each listed task that has one (interview booking).</summary>
    public IReadOnlyDictionary<long, DateTime> Booked { get; private set; } = new Dictionary<long, DateTime>();

    /// <summary>How many files are attached to each listed task that has any (one grouped query for the whole list).</summary>
    public IReadOnlyDictionary<long, int> FileCounts { get; private set; } = new Dictionary<long, int>();

    [BindProperty(SupportsGet = true)] public int? Interviewer { get; set; }
    [BindProperty(SupportsGet = true)] public bool Mine { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }

    public async Task<IActionResult> OnGetAsync(int studyId, CancellationToken ct)
    {
        var nav = await StudyNav.LoadAsync(db, studyId, "interviews", ct);
        if (nav is null)
        {
            return NotFound();
        }
        Nav = nav;
        Counts = await db.InterviewTasks.AsNoTracking().Where(t => t.StudyId == studyId)
            .GroupBy(t => t.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var interviewers = await db.InterviewTasks.AsNoTracking().Where(t => t.StudyId == studyId && t.InterviewerId != null)
            .Join(db.StaffUsers, t => t.InterviewerId, u => (int?)u.Id, (t, u) => new { u.Id, u.Email }).Distinct().OrderBy(u => u.Email).ToListAsync(ct);
        Interviewers = [.. interviewers.Select(u => (u.Id, u.Email))];
        var who = Mine ? User.StaffUserId() ?? -1 : Interviewer;
        var status = Status is not null && InterviewStatus.All.Contains(Status) ? Status : null;
        Rows = await InterviewRows.Query(db, studyId, interviewerId: who, status: status).Take(500).ToListAsync(ct);
        var ids = Rows.Select(r => r.Id).ToArray();
        Booked = await db.InterviewSlots.AsNoTracking().Where(s => ids.Contains(s.InterviewTaskId) && s.BookedAt != null)
            .ToDictionaryAsync(s => s.InterviewTaskId, s => s.StartsAt, ct);
        FileCounts = await db.InterviewFiles.AsNoTracking().Where(f => f.StudyId == studyId && ids.Contains(f.TaskId))
            .GroupBy(f => f.TaskId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        return Page();
    }
}

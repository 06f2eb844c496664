using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using RecoveryStudy.Data;
using RecoveryStudy.Interviews;
using RecoveryStudy.Interviews.Files;
using RecoveryStudy.Staff;
using RecoveryStudy.Web.Auth;
using Microsoft.Extensions.Localization;

namespace RecoveryStudy.Web.Pages.Console.Interviews;

/// <summary>
/// One interview task: assign the interviewer (an admin, or a researcher member of the study) and record the
/// interview (date inside the window and not in the future, duration, mode). Researchers only;
/// every change is audited with codes and figures, never notes.
/// </summary>
[Authorize(Policy = StaffPolicies.Research)]
public sealed class TaskModel(StudyDbContext db, TimeProvider clock, IOptions<InterviewFileOptions> fileOptions, IStringLocalizer<ConsoleText> text) : PageModel
{
    public StudyNav Nav { get; private set; } = null!;
    public InterviewRow Row { get; private set; } = null!;
    public IReadOnlyList<(int Id, string Email)> Staff { get; private set; } = [];
    public InterviewFilesView Files { get; private set; } = null!;

    [BindProperty] public int? InterviewerId { get; set; }
    [BindProperty] public DateOnly? CompletedOn { get; set; }
    [BindProperty] public int? DurationMinutes { get; set; }
    [BindProperty] public string? Mode { get; set; }

    public async Task<IActionResult> OnGetAsync(int studyId, long taskId, CancellationToken ct) =>
        await LoadAsync(studyId, taskId, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAssignAsync(int studyId, long taskId, CancellationToken ct)
    {
        if (!await LoadAsync(studyId, taskId, ct))
        {
            return NotFound();
        }
        if (InterviewerId is int id && !Staff.Any(s => s.Id == id))
        {
            ModelState.AddModelError(nameof(InterviewerId), text["Interviews_ErrInterviewer"]);
            return Page();
        }
        await db.InterviewTasks.Where(t => t.Id == taskId).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.InterviewerId, InterviewerId).SetProperty(t => t.UpdatedAt, clock.GetUtcNow().UtcDateTime), ct);
        AuditLog.Add(db, clock, User.Actor(), "interview.assign", studyId, "interview_task", taskId, new { wave = Row.WaveCode, interviewer = InterviewerId });
        await db.SaveChangesAsync(ct);
        TempData["Notice"] = text[InterviewerId is null ? "Interviews_NoticeUnassigned" : "Interviews_NoticeAssigned"].Value;
        return RedirectToPage(new { studyId, taskId });
    }

    public async Task<IActionResult> OnPostCompleteAsync(int studyId, long taskId, CancellationToken ct)
    {
        if (!await LoadAsync(studyId, taskId, ct))
        {
            return NotFound();
        }
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(await db.Studies.Where(s => s.Id == studyId).Select(s => s.TimeZone).SingleAsync(ct)) ?? DateTimeZone.Utc;
        var local = Instant.FromDateTimeOffset(clock.GetUtcNow()).InZone(zone).Date;
        var today = new DateOnly(local.Year, local.Month, local.Day);
        if (Row.Status == InterviewStatus.Done)
        {
            ModelState.AddModelError("", text["Interviews_ErrRecorded"]);
        }
        if (CompletedOn is not DateOnly on)
        {
            ModelState.AddModelError(nameof(CompletedOn), text["Interviews_ErrDate"]);
        }
        else if (on > today)
        {
            ModelState.AddModelError(nameof(CompletedOn), text["Interviews_ErrFuture", InterviewText.Day(on)]);
        }
        else if (on < Row.OpensOn || on > Row.ClosesOn)
        {
            ModelState.AddModelError(nameof(CompletedOn), text["Interviews_ErrWindow", InterviewText.Day(Row.OpensOn), InterviewText.Day(Row.ClosesOn)]);
        }
        if (DurationMinutes is not (>= 1 and <= 1440))
        {
            ModelState.AddModelError(nameof(DurationMinutes), text["Interviews_ErrDuration", 1, 1440]);
        }
        if (Mode is null || !InterviewMode.All.Contains(Mode))
        {
            ModelState.AddModelError(nameof(Mode), text["Interviews_ErrMode"]);
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        // Only a task not yet done changes: two researchers recording at once cannot both succeed.
        var changed = await db.InterviewTasks.Where(t => t.Id == taskId && t.Status != InterviewStatus.Done).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.Status, InterviewStatus.Done).SetProperty(t => t.CompletedOn, CompletedOn)
            .SetProperty(t => t.DurationMinutes, DurationMinutes).SetProperty(t => t.Mode, Mode)
            .SetProperty(t => t.InterviewerId, t => t.InterviewerId ?? User.StaffUserId())
            .SetProperty(t => t.UpdatedAt, clock.GetUtcNow().UtcDateTime), ct);
        if (changed == 1)
        {
            AuditLog.Add(db, clock, User.Actor(), "interview.complete", studyId, "interview_task", taskId, new { wave = Row.WaveCode, mode = Mode, minutes = DurationMinutes });
            await db.SaveChangesAsync(ct);
        }
        TempData["Notice"] = text["Interviews_NoticeRecorded"].Value;
        return RedirectToPage(new { studyId, taskId });
    }

    private async Task<bool> LoadAsync(int studyId, long taskId, CancellationToken ct)
    {
        var nav = await StudyNav.LoadAsync(db, studyId, "interviews", ct);
        var row = nav is null ? null : await InterviewRows.Query(db, studyId, taskId).SingleOrDefaultAsync(ct);
        if (row is null)
        {
            return false;
        }
        (Nav, Row) = (nav!, row);
        var staff = await db.StaffUsers.AsNoTracking().Where(u => !u.Disabled && (u.Role == StaffRole.Admin
                || db.StudyMembers.Any(m => m.StaffUserId == u.Id && m.StudyId == studyId && m.Role == StudyMemberRole.Researcher)))
            .OrderBy(u => u.Email).Select(u => new { u.Id, u.Email }).ToListAsync(ct);
        Staff = [.. staff.Select(u => (u.Id, u.Email))];
        Files = await InterviewFilesView.LoadAsync(db, HttpContext, fileOptions.Value, studyId, taskId, row.InterviewerId, Nav.Time, ct);
        return true;
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using RecoveryStudy.Data;
using RecoveryStudy.Interviews.Booking;
using RecoveryStudy.Staff;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Web.Pages.Console.Interviews;

/// <summary>
/// Staff cancel a participant's booked interview time (researchers and data managers of the study;
/// anti-forgery on the POST). Only a time that has not started can be cancelled; the task row is
/// locked as the participant's booking page locks it, so a change racing the cancellation is seen.
/// The cancellation is recorded with the time it was for, so the participant and the interviewer
/// each get one email about it (BookingCancellationMail); the optional reason stays with the study
/// team and is audited only as given or not.
/// </summary>
[Authorize(Policy = StaffPolicies.Contacts)]
public sealed class CancelBookingModel(StudyDbContext db, TimeProvider clock, IStringLocalizer<ConsoleText> text) : PageModel
{
    public StudyNav Nav { get; private set; } = null!;
    public InterviewRow Row { get; private set; } = null!;
    public InterviewSlot? Booked { get; private set; }
    public IReadOnlyList<BookingCancellation> Earlier { get; private set; } = [];

    [BindProperty] public string? Reason { get; set; }

    public async Task<IActionResult> OnGetAsync(int studyId, long taskId, CancellationToken ct) =>
        await LoadAsync(studyId, taskId, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(int studyId, long taskId, CancellationToken ct)
    {
        if (!await LoadAsync(studyId, taskId, ct))
        {
            return NotFound();
        }
        var reason = string.IsNullOrWhiteSpace(Reason) ? null : Reason.Trim();
        if (reason is { Length: > BookingCancellation.MaxReasonLength })
        {
            ModelState.AddModelError(nameof(Reason), text["Cancel_ReasonTooLong", BookingCancellation.MaxReasonLength]);
            return Page();
        }
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var slot = await BookedTimeCancel.CancelAsync(db, taskId, BookingCancellationCause.Staff, now, reason, ct);
        if (slot is null)
        {
            ModelState.AddModelError("", text["Cancel_NothingBooked"]);
            return Page();
        }
        AuditLog.Add(db, clock, User.Actor(), "interview.cancel_booking", studyId, "interview_task", taskId,
            new { wave = Row.WaveCode, slot = slot.Id, by = "staff", reason_given = reason is not null });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        TempData["Notice"] = text["Cancel_Done"].Value;
        return RedirectToPage("/Console/Interviews/Task", new { studyId, taskId });
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
        var now = clock.GetUtcNow().UtcDateTime;
        Booked = await db.InterviewSlots.AsNoTracking().SingleOrDefaultAsync(s => s.InterviewTaskId == taskId && s.BookedAt != null && s.StartsAt > now, ct);
        Earlier = await db.BookingCancellations.AsNoTracking().Where(c => c.InterviewTaskId == taskId).OrderByDescending(c => c.CancelledAt).ToListAsync(ct);
        return true;
    }
}

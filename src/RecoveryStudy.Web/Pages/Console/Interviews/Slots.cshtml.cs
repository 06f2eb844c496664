using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;
using RecoveryStudy.Data;
using RecoveryStudy.Interviews;
using RecoveryStudy.Interviews.Booking;
using RecoveryStudy.Staff;
using RecoveryStudy.Web.Auth;
using Microsoft.Extensions.Localization;

namespace RecoveryStudy.Web.Pages.Console.Interviews;

/// <summary>
/// The times offered for one interview task, for the participant to book from their booking link.
/// A slot is held by the task's interviewer; it must start in the future, lie inside the task's
/// window (as local days of the study's zone), and not overlap another offered or booked slot of the
/// same interviewer (checked under a per-interviewer lock, so two offers at once cannot both pass).
/// Withdrawing a booked time (before it starts) cancels the booking: the participant and the
/// interviewer each get one email about it. Researchers only; audited.
/// </summary>
[Authorize(Policy = StaffPolicies.Research)]
public sealed class SlotsModel(StudyDbContext db, TimeProvider clock, IStringLocalizer<ConsoleText> text) : PageModel
{
    public const int MinMinutes = 5;
    public const int MaxMinutes = 480;
    private static readonly LocalDateTimePattern Input = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm");

    public StudyNav Nav { get; private set; } = null!;
    public InterviewRow Row { get; private set; } = null!;
    public bool Booking { get; private set; }
    public IReadOnlyList<InterviewSlot> Offered { get; private set; } = [];

    [BindProperty] public string? Start { get; set; }
    [BindProperty] public int? DurationMinutes { get; set; }
    [BindProperty] public string? Mode { get; set; }
    [BindProperty] public long? SlotId { get; set; }

    public async Task<IActionResult> OnGetAsync(int studyId, long taskId, CancellationToken ct) =>
        await LoadAsync(studyId, taskId, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostOfferAsync(int studyId, long taskId, CancellationToken ct)
    {
        if (!await LoadAsync(studyId, taskId, ct))
        {
            return NotFound();
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var zone = Nav.Time.Zone;
        if (Row.Status != InterviewStatus.Open)
        {
            ModelState.AddModelError("", text["Interviews_ErrNotOpen"]);
        }
        if (Row.InterviewerId is null)
        {
            ModelState.AddModelError("", text["Interviews_ErrNoInterviewer"]);
        }
        Instant? start = null;
        var parsed = Input.Parse(Start?.Trim() ?? "");
        if (!parsed.Success)
        {
            ModelState.AddModelError(nameof(Start), text["Interviews_ErrStartFormat", zone.Id]);
        }
        else if (zone.MapLocal(parsed.Value) is { Count: 0 })
        {
            ModelState.AddModelError(nameof(Start), text["Interviews_ErrStartGap", Input.Format(parsed.Value), zone.Id]);
        }
        else
        {
            start = zone.MapLocal(parsed.Value).First().ToInstant();
            var day = DateOnly.FromDateTime(parsed.Value.Date.ToDateTimeUnspecified());
            if (start.Value.ToDateTimeUtc() <= now)
            {
                ModelState.AddModelError(nameof(Start), text["Interviews_ErrStartPast", Nav.Time.At(start.Value)]);
            }
            else if (day < Row.OpensOn || day > Row.ClosesOn)
            {
                ModelState.AddModelError(nameof(Start), text["Interviews_ErrStartWindow", InterviewText.Day(Row.OpensOn), InterviewText.Day(Row.ClosesOn)]);
            }
        }
        if (DurationMinutes is not (>= MinMinutes and <= MaxMinutes))
        {
            ModelState.AddModelError(nameof(DurationMinutes), text["Interviews_ErrDuration", MinMinutes, MaxMinutes]);
        }
        if (Mode is null || !InterviewMode.All.Contains(Mode))
        {
            ModelState.AddModelError(nameof(Mode), text["Interviews_ErrMode"]);
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var startsAt = start!.Value.ToDateTimeUtc();
        var endsAt = startsAt.AddMinutes(DurationMinutes!.Value);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // One offer per interviewer at a time: the overlap check and the insert cannot interleave.
        var interviewerId = Row.InterviewerId!.Value;
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext('interview_slots'), {interviewerId})", ct);
        var clash = await db.InterviewSlots.AsNoTracking()
            .Where(s => s.InterviewerId == Row.InterviewerId && s.StartsAt < endsAt && s.EndsAt > startsAt)
            .OrderBy(s => s.StartsAt).FirstOrDefaultAsync(ct);
        if (clash is not null)
        {
            ModelState.AddModelError(nameof(Start),
                text["Interviews_ErrOverlap", Row.Interviewer ?? "", Nav.Time.At(clash.StartsAt), Nav.Time.At(clash.EndsAt)]);
            return Page();
        }
        var slot = new InterviewSlot { InterviewTaskId = taskId, InterviewerId = Row.InterviewerId.Value, StartsAt = startsAt, EndsAt = endsAt, Mode = Mode!, CreatedAt = now };
        db.InterviewSlots.Add(slot);
        await db.SaveChangesAsync(ct);
        AuditLog.Add(db, clock, User.Actor(), "interview.slot_offer", studyId, "interview_task", taskId,
            new { wave = Row.WaveCode, slot = slot.Id, minutes = DurationMinutes, mode = Mode });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        TempData["Notice"] = text["Interviews_NoticeOffered", Nav.Time.At(startsAt)].Value;
        return RedirectToPage(new { studyId, taskId });
    }

    public async Task<IActionResult> OnPostWithdrawAsync(int studyId, long taskId, CancellationToken ct)
    {
        if (!await LoadAsync(studyId, taskId, ct))
        {
            return NotFound();
        }
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // The task is locked as the participant's booking page locks it, so a booking racing the withdrawal is seen.
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM interview_tasks WHERE id = {taskId} FOR UPDATE", ct);
        var slot = await db.InterviewSlots.SingleOrDefaultAsync(s => s.Id == SlotId && s.InterviewTaskId == taskId, ct);
        if (slot is null || slot.BookedAt is not null && slot.StartsAt <= now)
        {
            ModelState.AddModelError(nameof(SlotId), text["Interviews_ErrSlotGone"]);
            return Page();
        }
        if (slot.BookedAt is not null)
        {
            // A booked time withdrawn: the participant and the interviewer are told (BookingCancellationMail).
            db.BookingCancellations.Add(BookingCancellation.Of(slot, BookingCancellationCause.SlotWithdrawn, now));
        }
        db.InterviewSlots.Remove(slot);
        AuditLog.Add(db, clock, User.Actor(), "interview.slot_withdraw", studyId, "interview_task", taskId,
            new { wave = Row.WaveCode, slot = SlotId, booked = slot.BookedAt is not null });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        TempData["Notice"] = text[slot.BookedAt is null ? "Interviews_NoticeWithdrawn" : "Interviews_NoticeBookedWithdrawn"].Value;
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
        Booking = await db.InterviewTasks.Where(t => t.Id == taskId).Join(db.Waves, t => t.WaveId, w => w.Id, (t, w) => w.InterviewBooking).SingleAsync(ct);
        Offered = await db.InterviewSlots.AsNoTracking().Where(s => s.InterviewTaskId == taskId).OrderBy(s => s.StartsAt).ToListAsync(ct);
        return true;
    }
}

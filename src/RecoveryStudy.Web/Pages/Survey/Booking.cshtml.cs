using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Interviews;
using RecoveryStudy.Interviews.Booking;
using RecoveryStudy.Staff;

namespace RecoveryStudy.Web.Pages.Survey;

/// <summary>
/// /booking: the participant's interview booking, opened from their booking link (session rs_b).
/// Shows the offered future times in the participant's language and zone; booking one, changing to
/// another and cancelling are POSTs (anti-forgery), allowed until the booked time starts. A task
/// holds one booking at a time: the task row is locked while the booking changes, and the unique
/// index ux_interview_slot_booked_task refuses a second one whatever happens, so a race ends with
/// one booking and a "no longer available" message, never two.
/// </summary>
[AllowAnonymous]
public sealed class BookingModel(StudyDbContext db, ParticipantSessions sessions, TimeProvider clock, IStringLocalizer<ParticipantText> text)
    : ParticipantPage(db, sessions, clock, text)
{
    public string WaveTitle { get; private set; } = "";
    public string TimeZone { get; private set; } = "UTC";
    public bool Open { get; private set; }
    public InterviewSlot? Booked { get; private set; }

    /// <summary>A booked time can be cancelled or changed until it starts.</summary>
    public bool CanCancel => Booked is { } b && b.StartsAt > Now;
    public IReadOnlyList<InterviewSlot> Offered { get; private set; } = [];
    public string? Notice { get; private set; }

    [BindProperty] public long? SlotId { get; set; }

    private long taskId;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return LinkModel.Invalid(this);
        }
        Notice = TempData["BookingNotice"] as string;
        return Page();
    }

    public async Task<IActionResult> OnPostBookAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return LinkModel.Invalid(this);
        }
        if (!Open)
        {
            return Page();
        }
        if (SlotId is not long slotId || !Offered.Any(s => s.Id == slotId))
        {
            ModelState.AddModelError(nameof(SlotId), SlotId is null ? T["BookingPickOne"] : T["BookingTaken"]);
            return Page();
        }
        var now = Now;
        try
        {
            await using var transaction = await Db.Database.BeginTransactionAsync(ct);
            await Db.Database.ExecuteSqlAsync($"SELECT 1 FROM interview_tasks WHERE id = {taskId} FOR UPDATE", ct);
            // A change gives up the earlier time first; one that has started is kept (and so is refused below).
            await Db.InterviewSlots.Where(s => s.InterviewTaskId == taskId && s.BookedAt != null && s.Id != slotId && s.StartsAt > now)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.BookedAt, (DateTime?)null).SetProperty(x => x.ConfirmationSentAt, (DateTime?)null), ct);
            var booked = await Db.InterviewSlots.Where(s => s.Id == slotId && s.InterviewTaskId == taskId && s.BookedAt == null && s.StartsAt > now)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.BookedAt, now), ct);
            if (booked == 0)
            {
                await transaction.RollbackAsync(ct);
                return await RefusedAsync(ct);
            }
            AuditLog.Add(Db, Clock, Actor.Participant, "interview.book", Study!.Id, "interview_task", taskId, new { slot = slotId });
            await Db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return await RefusedAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return await RefusedAsync(ct);
        }
        TempData["BookingNotice"] = T["BookingConfirmed"].Value;
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostCancelAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return LinkModel.Invalid(this);
        }
        var now = Now;
        await using var transaction = await Db.Database.BeginTransactionAsync(ct);
        // The participant gets a short confirmation, the interviewer a notice (BookingCancellationMail).
        if (await BookedTimeCancel.CancelAsync(Db, taskId, BookingCancellationCause.Participant, now, null, ct) is not null)
        {
            AuditLog.Add(Db, Clock, Actor.Participant, "interview.cancel_booking", Study!.Id, "interview_task", taskId, new { });
            await Db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            TempData["BookingNotice"] = T["BookingCancelled"].Value;
        }
        return RedirectToPage();
    }

    /// <summary>The time's words: "24 February 2028, 10:30 (Europe/Warsaw), about 60 minutes, by video call".</summary>
    public string Describe(InterviewSlot slot, string resource) =>
        T[resource, LocalTime(slot.StartsAt, TimeZone), slot.DurationMinutes, BookingEmails.ModeText(Language, slot.Mode)];

    private async Task<IActionResult> RefusedAsync(CancellationToken ct)
    {
        Db.ChangeTracker.Clear();
        await LoadAsync(ct);
        ModelState.AddModelError(nameof(SlotId), T["BookingTaken"]);
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var session = Sessions.Peek(HttpContext, ParticipantSessions.BookingCookie);
        if (session is null)
        {
            return false;
        }
        var hash = session.Link.TokenHash;
        var found = await (
            from l in Db.BookingLinks.AsNoTracking()
            where l.Hash == hash && l.InterviewTaskId == session.InvitationId && l.RevokedAt == null
            join t in Db.InterviewTasks on l.InterviewTaskId equals t.Id
            join p in Db.Participants on t.ParticipantId equals p.Id
            join w in Db.Waves on t.WaveId equals w.Id
            join s in Db.Studies on t.StudyId equals s.Id
            select new { Task = t, p.Status, p.TimeZone, w.Title, Study = s }).FirstOrDefaultAsync(ct);
        if (found is null || found.Status != ParticipantStatus.Active)
        {
            Response.Cookies.Delete(ParticipantSessions.BookingCookie, new CookieOptions { Path = "/" });
            return false;
        }
        UseStudy(found.Study);
        taskId = found.Task.Id;
        TimeZone = found.TimeZone;
        WaveTitle = found.Title.For(Language, found.Study.DefaultLanguage);
        var now = Now;
        Open = found.Task.Status == InterviewStatus.Open && found.Task.ClosesAt > now && found.Study.Status == StudyStatus.Active;
        var slots = await Db.InterviewSlots.AsNoTracking().Where(s => s.InterviewTaskId == taskId).OrderBy(s => s.StartsAt).ToListAsync(ct);
        Booked = slots.FirstOrDefault(s => s.BookedAt is not null);
        Offered = [.. slots.Where(s => s.BookedAt is null && s.StartsAt > now)];
        return true;
    }
}

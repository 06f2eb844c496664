using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Interviews.Booking;

namespace RecoveryStudy.Web.Pages.Console.Interviews;

/// <summary>What the task page shows of booking: the booked time, how many times are offered, whether the participant was invited to book.</summary>
public sealed record BookingSummary(int StudyId, long TaskId, bool BookingWave, InterviewSlot? Booked, int Offered, DateTime? InvitedAt, ZonedTime Time);

/// <summary>
/// The booking part of the interview task page, kept out of the page so that the page's own model
/// stays about assigning and recording: <c>@await Component.InvokeAsync("BookingSummary", ...)</c>.
/// </summary>
public sealed class BookingSummaryViewComponent(StudyDbContext db) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(StudyNav nav, long taskId)
    {
        var bookingWave = await db.InterviewTasks.Where(t => t.Id == taskId).Join(db.Waves, t => t.WaveId, w => w.Id, (t, w) => w.InterviewBooking).SingleAsync();
        var slots = await db.InterviewSlots.AsNoTracking().Where(s => s.InterviewTaskId == taskId).ToListAsync();
        var invitedAt = await db.BookingLinks.Where(l => l.InterviewTaskId == taskId).Select(l => (DateTime?)l.CreatedAt).SingleOrDefaultAsync();
        var model = new BookingSummary(nav.StudyId, taskId, bookingWave, slots.SingleOrDefault(s => s.BookedAt is not null), slots.Count, invitedAt, nav.Time);
        return View("~/Pages/Console/Interviews/_BookingSummary.cshtml", model);
    }
}

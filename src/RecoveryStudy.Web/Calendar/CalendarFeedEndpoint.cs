using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Interviews;
using RecoveryStudy.Survey;

namespace RecoveryStudy.Web.Calendar;

/// <summary>
/// GET /calendar/{token}.ics: an interviewer's open interview tasks, read-only, for a calendar
/// application that cannot sign in. The token is the secret (only its hash is stored); an unknown,
/// malformed or revoked one gets 404, the same for each.
/// </summary>
public static class CalendarFeedEndpoint
{
    public static void MapCalendarFeed(this WebApplication app) =>
        app.MapGet("/calendar/{token}", FeedAsync).AllowAnonymous();

    private static async Task<IResult> FeedAsync(string token, HttpContext http, StudyDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var hash = token.EndsWith(".ics", StringComparison.Ordinal) ? LinkTokens.Hash(token[..^4]) : null;
        var staffUserId = hash is null ? null : await db.CalendarFeedTokens.AsNoTracking()
            .Where(t => t.Hash == hash && t.RevokedAt == null)
            .Join(db.StaffUsers.Where(u => !u.Disabled), t => t.StaffUserId, u => u.Id, (t, u) => (int?)u.Id).SingleOrDefaultAsync(ct);
        if (staffUserId is null)
        {
            return Results.NotFound();
        }
        var tasks = await (
            from t in db.InterviewTasks.AsNoTracking()
            where t.InterviewerId == staffUserId && t.Status == InterviewStatus.Open
            join p in db.Participants on t.ParticipantId equals p.Id
            where p.Status == ParticipantStatus.Active
            join w in db.Waves on t.WaveId equals w.Id
            join s in db.Studies on t.StudyId equals s.Id
            where s.Status != StudyStatus.Closed
            orderby t.OpensOn, t.Id
            // At most one booked slot per task (ux_interview_slot_booked_task): a booked interview is a timed event.
            join b in db.InterviewSlots.Where(b => b.BookedAt != null) on t.Id equals b.InterviewTaskId into booked
            from b in booked.DefaultIfEmpty()
            select new CalendarTask(t.Id, s.Code, p.Code, w.Code, t.DueDate, t.OpensOn, t.ClosesOn,
                b == null ? null : b.StartsAt, b == null ? null : b.EndsAt)).ToListAsync(ct);
        http.Response.Headers.CacheControl = "no-store";
        return Results.Text(InterviewCalendar.Write(tasks, clock.GetUtcNow().UtcDateTime, http.Request.Host.Host), "text/calendar; charset=utf-8");
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using RecoveryStudy.Data;
using RecoveryStudy.Survey;
using RecoveryStudy.Web.Hosting;

namespace RecoveryStudy.Web.Pages.Survey;

/// <summary>
/// GET /b/{token}: the personal booking link from the invitation to book an interview time. A live
/// token is exchanged for the booking session cookie (rs_b) and the browser is sent on to /booking,
/// so the token leaves the address bar at once; it changes nothing else. Anything else gets the one
/// "not valid" page of the survey links.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(ParticipantPagesHosting.LinkRateLimitPolicy)]
public sealed class BookingLinkModel(StudyDbContext db, ParticipantSessions sessions, TimeProvider clock, IStringLocalizer<ParticipantText> text)
    : ParticipantPage(db, sessions, clock, text)
{
    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        // Read from the route, not bound as a handler argument, so that it is never logged.
        var hash = LinkTokens.Hash(RouteData.Values["token"] as string);
        var link = hash is null ? null : await (
            from l in Db.BookingLinks.AsNoTracking()
            where l.Hash == hash && l.RevokedAt == null
            join t in Db.InterviewTasks on l.InterviewTaskId equals t.Id
            join p in Db.Participants on t.ParticipantId equals p.Id
            where p.Status == ParticipantStatus.Active
            select new { t.Id, p.Language }).FirstOrDefaultAsync(ct);
        if (link is null)
        {
            return LinkModel.Invalid(this);
        }
        Sessions.SignIn(HttpContext, ParticipantSessions.BookingCookie, new ParticipantSession(new LiveLink(link.Id, hash!), link.Language));
        Response.Cookies.Delete(ParticipantPagesHosting.LanguageCookie);
        return RedirectToPage("/Survey/Booking");
    }
}

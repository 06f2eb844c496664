using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using RecoveryStudy.Data;
using RecoveryStudy.Survey;
using RecoveryStudy.Web.Hosting;

namespace RecoveryStudy.Web.Pages.Survey;

/// <summary>
/// GET /s/{token}: the personal link from the email. A live token is exchanged for the session
/// cookie and the browser is sent on to /survey, so the token leaves the address bar at once.
/// Anything else gets one and the same "not valid" page, with the same status.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(ParticipantPagesHosting.LinkRateLimitPolicy)]
public sealed class LinkModel(StudyDbContext db, ParticipantSessions sessions, TimeProvider clock, IStringLocalizer<ParticipantText> text)
    : ParticipantPage(db, sessions, clock, text)
{
    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        // Read from the route, not bound as a handler argument, so that it is never logged.
        var link = await ParticipantLinks.ResolveAsync(Db, RouteData.Values["token"] as string, TokenPurpose.Survey, ct);
        var invitation = link is null ? null
            : await Db.Invitations.Include(i => i.Participant).FirstOrDefaultAsync(i => i.Id == link.InvitationId, ct);
        if (link is null || invitation?.Participant is null)
        {
            return Invalid(this);
        }
        // Mail scanners open links too: "opened" is a hint, and the only thing a GET records.
        if (invitation.FirstOpenedAt is null)
        {
            invitation.FirstOpenedAt = Now;
            if (invitation.Status == InvitationStatus.Sent)
            {
                invitation.Status = InvitationStatus.Opened;
            }
            await Db.SaveChangesAsync(ct);
        }
        Sessions.SignIn(HttpContext, ParticipantSessions.SurveyCookie, new ParticipantSession(link, invitation.Participant.Language));
        Response.Cookies.Delete(ParticipantPagesHosting.LanguageCookie);
        return RedirectToPage("/Survey/Index");
    }

    /// <summary>The one answer to every link that does not work; also used by /u/.</summary>
    internal static PageResult Invalid(PageModel page)
    {
        page.Response.StatusCode = StatusCodes.Status404NotFound;
        page.Response.Headers.CacheControl = "no-store";
        return page.Page();
    }
}

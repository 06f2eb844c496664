using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using RecoveryStudy.Data;
using RecoveryStudy.Survey;
using RecoveryStudy.Web.Hosting;
using RecoveryStudy.Web.Pages.Survey;

namespace RecoveryStudy.Web.Pages.Unsubscribe;

/// <summary>
/// /u/{token}, the unsubscribe link of every email. GET exchanges the token for a session and
/// sends the browser on to /unsubscribe, where the participant chooses and confirms; a GET never
/// changes a preference (mail scanners follow links). POST is RFC 8058's one-click request from
/// the mail client: no cookies, no anti-forgery token, no redirect; it stops all further email.
/// </summary>
[AllowAnonymous]
// Exempt from anti-forgery because of the one-click POST, which by design carries no token;
// this page has no other form. Every other participant form keeps its token.
[IgnoreAntiforgeryToken]
[RequestSizeLimit(16 * 1024)]
[EnableRateLimiting(ParticipantPagesHosting.LinkRateLimitPolicy)]
public sealed class LinkModel(StudyDbContext db, ParticipantSessions sessions, TimeProvider clock, IStringLocalizer<ParticipantText> text)
    : ParticipantPage(db, sessions, clock, text)
{
    public const string OneClickField = "List-Unsubscribe";
    public const string OneClickValue = "One-Click";

    public bool OneClickDone { get; private set; }
    public bool BadOneClick { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var (link, invitation) = await ResolveAsync(ct);
        if (link is null || invitation?.Participant is null)
        {
            return Survey.LinkModel.Invalid(this);
        }
        Sessions.SignIn(HttpContext, ParticipantSessions.UnsubscribeCookie, new ParticipantSession(link, invitation.Participant.Language));
        Response.Cookies.Delete(ParticipantPagesHosting.LanguageCookie);
        return RedirectToPage("/Unsubscribe/Index");
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var (_, invitation) = await ResolveAsync(ct);
        if (invitation is null)
        {
            return Survey.LinkModel.Invalid(this);
        }
        if (!Request.HasFormContentType || (await Request.ReadFormAsync(ct))[OneClickField] != OneClickValue)
        {
            BadOneClick = true;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        await ParticipantChoices.ApplyAsync(Db, Clock, invitation.Id, ParticipantChoice.StopAllEmail, null, ct);
        OneClickDone = true;
        return Page();
    }

    private async Task<(LiveLink? Link, Scheduling.Invitation? Invitation)> ResolveAsync(CancellationToken ct)
    {
        // Read from the route, not bound as a handler argument, so that it is never logged.
        var link = await ParticipantLinks.ResolveAsync(Db, RouteData.Values["token"] as string, TokenPurpose.Unsubscribe, ct);
        return link is null ? (null, null)
            : (link, await Db.Invitations.Include(i => i.Participant).FirstOrDefaultAsync(i => i.Id == link.InvitationId, ct));
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using RecoveryStudy.Data;
using RecoveryStudy.DataRights;
using RecoveryStudy.Mail;
using RecoveryStudy.Web.Hosting;
using RecoveryStudy.Web.Pages.Survey;

namespace RecoveryStudy.Web.Pages.Unsubscribe;

/// <summary>
/// /copy/{token}: the single-use link of a participant's request for a copy of their data. GET
/// only shows the confirm button (mail scanners follow links); the POST uses the link and emails
/// the copy to the address on file (<see cref="DataCopyMail"/>).
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(ParticipantPagesHosting.LinkRateLimitPolicy)]
public sealed class CopyModel(StudyDbContext db, ParticipantSessions sessions, TimeProvider clock, IStringLocalizer<ParticipantText> text)
    : ParticipantPage(db, sessions, clock, text)
{
    public DataCopyMail.Outcome? Outcome { get; private set; }

    /// <summary>Unknown, used or expired: the same page as every link that does not work.</summary>
    public bool IsInvalid { get; private set; }

    // Read from the route, not bound as a handler argument, so that it is never logged.
    private string? Token => RouteData.Values["token"] as string;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        await DataCopyMail.IsLiveAsync(Db, Clock, Token, ct) ? Page() : Invalid();

    public async Task<IActionResult> OnPostAsync([FromServices] IMailTransport transport, CancellationToken ct)
    {
        Outcome = await DataCopyMail.SendCopyAsync(Db, transport, Clock, Token, ct);
        return Outcome == DataCopyMail.Outcome.NotFound ? Invalid() : Page();
    }

    private PageResult Invalid()
    {
        IsInvalid = true;
        return Survey.LinkModel.Invalid(this);
    }
}

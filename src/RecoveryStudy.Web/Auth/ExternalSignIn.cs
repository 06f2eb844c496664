using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;

namespace RecoveryStudy.Web.Auth;

/// <summary>
/// Turns an OpenID Connect provider's answer into a console session, or refuses it. An identity
/// opens the account linked to its issuer and subject; an identity not linked yet links itself to
/// the account with its email only when the provider says the email is verified (or
/// StaffAuth:Oidc:TrustUnverifiedEmail), that account has no other identity and none was ever removed from it. Accounts are never
/// created here: an unknown identity is refused and audited.
/// </summary>
public sealed class ExternalSignIn(StudyDbContext db, TimeProvider clock, StaffSessions sessions, IOptions<StaffOidcOptions> options)
{
    public async Task CompleteAsync(TicketReceivedContext context)
    {
        context.HandleResponse();
        var ct = context.HttpContext.RequestAborted;
        var user = await FindAccountAsync(context.Principal ?? new ClaimsPrincipal(), ct);
        if (user is null)
        {
            context.Response.Redirect(StaffAuth.SignInPath + "?external=refused");
            return;
        }
        var session = await sessions.StartAsync(user.Id, ct);
        await context.HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, StaffClaims.Principal(user, session, external: true));
        var target = context.ReturnUri is { } back && back.StartsWith('/') && !back.StartsWith("//", StringComparison.Ordinal) ? back : "/";
        await WriteContinuePageAsync(context.Response, target);
    }

    // The provider sent the browser here from its own site, and a browser leaves the SameSite=Strict
    // console cookie out of every request of such a cross-site chain, redirects included. A page
    // of this site that moves on by itself starts a same-site navigation, which carries it.
    private static Task WriteContinuePageAsync(HttpResponse response, string target)
    {
        var url = WebUtility.HtmlEncode(target);
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/html; charset=utf-8";
        return response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url={url}">
            <title>Signed in - RecoveryStudy</title><link rel="stylesheet" href="/css/console.css"></head>
            <body><main class="narrow"><p>Signed in. <a id="continue" href="{url}">Continue to the console</a>.</p></main></body></html>
            """);
    }

    public async Task<StaffUser?> FindAccountAsync(ClaimsPrincipal external, CancellationToken ct)
    {
        var sub = external.FindFirst("sub");
        if (sub is null || string.IsNullOrEmpty(sub.Value))
        {
            return await RefuseAsync(null, "NoSubject", null, ct);
        }
        var (issuer, subject) = (sub.Issuer, sub.Value);
        var user = await db.StaffUsers.SingleOrDefaultAsync(u => u.OidcIssuer == issuer && u.OidcSubject == subject, ct);
        if (user is null && external.FindFirstValue("email") is { } email && (Verified(external) || options.Value.TrustUnverifiedEmail))
        {
            var address = StaffSignIn.Address(email);
            user = await db.StaffUsers.SingleOrDefaultAsync(u => u.Email == address && u.OidcSubject == null && u.OidcUnlinkedAt == null, ct);
            if (user is not null)
            {
                user.OidcIssuer = issuer;
                user.OidcSubject = subject;
                user.OidcLinkedAt = clock.GetUtcNow().UtcDateTime;
                AuditLog.Add(db, clock, Actor.System, "staff.oidc_link", targetType: "staff_user", targetId: user.Id, details: new { issuer });
            }
        }
        if (user is null || user.Disabled)
        {
            return await RefuseAsync(user?.Id, user is null ? "UnknownIdentity" : SignInRefusal.Disabled.ToString(), issuer, ct);
        }
        user.LastSignInAt = clock.GetUtcNow().UtcDateTime;
        user.OidcLastUsedAt = user.LastSignInAt;
        AuditLog.Add(db, clock, Actor.Staff(user.Id), "signin", targetType: "staff_user", targetId: user.Id, details: new { via = "oidc", issuer });
        await db.SaveChangesAsync(ct);
        return user;
    }

    private static bool Verified(ClaimsPrincipal external) =>
        string.Equals(external.FindFirstValue("email_verified"), "true", StringComparison.OrdinalIgnoreCase);

    // Neither the subject nor the email is stored for a refusal: they name a person who has no account here.
    private async Task<StaffUser?> RefuseAsync(int? userId, string reason, string? issuer, CancellationToken ct)
    {
        AuditLog.Add(db, clock, Actor.System, "signin.failed", targetType: userId is null ? null : "staff_user", targetId: userId,
            details: new { reason, via = "oidc", issuer });
        await db.SaveChangesAsync(ct);
        Metrics.StaffSignInMetrics.Failed(reason == "UnknownIdentity" ? SignInRefusal.UnknownAccount : SignInRefusal.Disabled);
        return null;
    }
}

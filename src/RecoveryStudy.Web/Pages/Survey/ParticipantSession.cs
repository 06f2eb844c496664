using System.Globalization;
using Microsoft.AspNetCore.DataProtection;

namespace RecoveryStudy.Web.Pages.Survey;

/// <summary>What a participant's link was exchanged for: which invitation, in which language.</summary>
public sealed record ParticipantSession(long InvitationId, string Language);

/// <summary>
/// The participant's session cookies. The link token is exchanged for one of these on the
/// first request, so it never has to appear in a URL again. The value is protected with the
/// shared Data Protection key ring (any node can read it) and expires after <see cref="Lifetime"/>;
/// the link itself keeps working, so an expired session costs one click on the email.
/// </summary>
public sealed class ParticipantSessions(IDataProtectionProvider protection, TimeProvider clock)
{
    public const string SurveyCookie = "rs_s";
    public const string UnsubscribeCookie = "rs_u";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    public void SignIn(HttpContext context, string cookie, ParticipantSession session)
    {
        var expires = (clock.GetUtcNow() + Lifetime).ToUnixTimeSeconds();
        var value = Protector(cookie).Protect(string.Create(CultureInfo.InvariantCulture, $"{session.InvitationId}|{session.Language}|{expires}"));
        context.Response.Cookies.Append(cookie, value, new CookieOptions
        {
            HttpOnly = true,
            // Lax: the first request comes from a link in a mail client, another site.
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            IsEssential = true,
            Path = "/",
        });
    }

    public ParticipantSession? Read(HttpContext context, string cookie)
    {
        if (!context.Request.Cookies.TryGetValue(cookie, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }
        try
        {
            // The expiry is part of the protected text (not the time-limited protector) so that it
            // follows the injected clock.
            var parts = Protector(cookie).Unprotect(value).Split('|');
            if (parts.Length != 3
                || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var invitationId)
                || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
                || expires < clock.GetUtcNow().ToUnixTimeSeconds())
            {
                return null;
            }
            return new ParticipantSession(invitationId, parts[1]);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // Tampered, from another key ring, or expired: the same as no session.
            return null;
        }
    }

    private IDataProtector Protector(string cookie) => protection.CreateProtector("RecoveryStudy.ParticipantSession", cookie);
}

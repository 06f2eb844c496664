using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using RecoveryStudy.Data;
using RecoveryStudy.Survey;

namespace RecoveryStudy.Web.Pages.Survey;

/// <summary>What a participant's link was exchanged for: which link (invitation and token hash), in which language.</summary>
public sealed record ParticipantSession(LiveLink Link, string Language)
{
    public long InvitationId => Link.InvitationId;
}

/// <summary>
/// The participant's session cookies. The link token is exchanged for one of these on the
/// first request, so it never has to appear in a URL again. The value is protected with the
/// shared Data Protection key ring (any node can read it) and expires after <see cref="Lifetime"/>;
/// the link itself keeps working, so an expired session costs one click on the email. The value
/// names the token's hash, and a session whose token has been revoked since is no session.
/// </summary>
public sealed class ParticipantSessions(IDataProtectionProvider protection, TimeProvider clock)
{
    public const string SurveyCookie = "rs_s";
    public const string UnsubscribeCookie = "rs_u";

    /// <summary>The interview booking session: its <see cref="LiveLink.InvitationId"/> holds the interview task's id.</summary>
    public const string BookingCookie = "rs_b";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    private readonly ConcurrentDictionary<string, IDataProtector> protectors = new(StringComparer.Ordinal);

    public void SignIn(HttpContext context, string cookie, ParticipantSession session)
    {
        var expires = (clock.GetUtcNow() + Lifetime).ToUnixTimeSeconds();
        var hash = Base64Url.EncodeToString(session.Link.TokenHash);
        var value = Protector(cookie).Protect(string.Create(CultureInfo.InvariantCulture, $"{session.InvitationId}|{session.Language}|{expires}|{hash}"));
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

    /// <summary>The session, when the cookie is intact, unexpired and its link not revoked; otherwise null (a revoked one's cookie is dropped).</summary>
    public async Task<ParticipantSession?> ReadAsync(HttpContext context, string cookie, StudyDbContext db, CancellationToken ct)
    {
        var session = Unprotect(context, cookie);
        if (session is null)
        {
            return null;
        }
        if (!await ParticipantLinks.IsLiveAsync(db, session.Link, ct))
        {
            context.Response.Cookies.Delete(cookie, new CookieOptions { Path = "/" });
            return null;
        }
        return session;
    }

    /// <summary>
    /// The language a cookie names, without asking the database: it only picks the pages'
    /// language and grants nothing, so a revoked session may still choose it.
    /// </summary>
    public string? Language(HttpContext context, string cookie) => Unprotect(context, cookie)?.Language;

    /// <summary>
    /// The session the cookie names, without asking the database: the caller checks that its
    /// link is live in its own query (<see cref="SurveyState.LoadAsync(StudyDbContext, long, byte[], bool, CancellationToken)"/>).
    /// </summary>
    public ParticipantSession? Peek(HttpContext context, string cookie) => Unprotect(context, cookie);

    // A request's cookies do not change while it runs, and a page view asks twice (its language,
    // then its session): the cookie is unprotected once per request and the answer kept in the
    // request's items. Unprotecting is a key derivation, a decryption and a MAC check.
    private ParticipantSession? Unprotect(HttpContext context, string cookie)
    {
        var key = (typeof(ParticipantSessions), cookie);
        if (context.Items.TryGetValue(key, out var known))
        {
            return (ParticipantSession?)known;
        }
        var session = UnprotectCookie(context, cookie);
        context.Items[key] = session;
        return session;
    }

    private ParticipantSession? UnprotectCookie(HttpContext context, string cookie)
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
            if (parts.Length != 4
                || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var invitationId)
                || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
                || expires < clock.GetUtcNow().ToUnixTimeSeconds()
                || !Base64Url.IsValid(parts[3], out var hashLength) || hashLength != SHA256.HashSizeInBytes)
            {
                return null;
            }
            return new ParticipantSession(new LiveLink(invitationId, Base64Url.DecodeFromChars(parts[3])), parts[1]);
        }
        catch (CryptographicException)
        {
            // Tampered, from another key ring, or expired: the same as no session.
            return null;
        }
    }

    private IDataProtector Protector(string cookie) =>
        protectors.GetOrAdd(cookie, name => protection.CreateProtector("RecoveryStudy.ParticipantSession", name));
}

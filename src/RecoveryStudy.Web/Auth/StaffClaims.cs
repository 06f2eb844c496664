using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication.Cookies;
using RecoveryStudy.Staff;

namespace RecoveryStudy.Web.Auth;

/// <summary>The claims a staff cookie carries, and reading them back.</summary>
public static class StaffClaims
{
    /// <summary>
    /// Changes whenever the password hash changes, so that a password change ends every other
    /// session of that account at its next request.
    /// </summary>
    public const string Stamp = "rs_stamp";

    /// <summary>The console language the staff member chose (<see cref="StaffUser.Language"/>).</summary>
    public const string Language = "rs_lang";

    /// <summary>The cookie's principal for a staff member and their server-side session.</summary>
    /// <summary>On a cookie opened through the OpenID Connect provider (which asks for its own second factor).</summary>
    public const string External = "rs_ext";

    public static ClaimsPrincipal Principal(StaffUser user, string sessionId, bool mustEnrol = false, bool external = false)
    {
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(CultureInfo.InvariantCulture)),
            new Claim(ClaimTypes.Name, user.Email),
            new Claim(ClaimTypes.Role, user.Role),
            new Claim(Stamp, StampOf(user.PasswordHash)),
            new Claim(StaffSessions.Claim, sessionId),
            new Claim(Language, user.Language),
        ], CookieAuthenticationDefaults.AuthenticationScheme);
        if (external)
        {
            identity.AddClaim(new Claim(External, "oidc"));
        }
        if (mustEnrol)
        {
            identity.AddClaim(new Claim(SecondFactor.MustEnrolClaim, "1"));
        }
        return new ClaimsPrincipal(identity);
    }

    public static string StampOf(string passwordHash) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(passwordHash)))[..22];

    /// <summary>The signed-in staff member's id, or null for anyone else.</summary>
    public static int? StaffUserId(this ClaimsPrincipal principal) =>
        int.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    /// <summary>The audit actor for the signed-in staff member.</summary>
    public static Actor Actor(this ClaimsPrincipal principal) =>
        principal.StaffUserId() is int id ? Staff.Actor.Staff(id) : throw new InvalidOperationException("No staff member is signed in.");

    public static string? StaffRole(this ClaimsPrincipal principal) => principal.FindFirstValue(ClaimTypes.Role);
}

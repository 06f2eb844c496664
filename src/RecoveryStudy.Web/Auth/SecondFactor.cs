using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;

namespace RecoveryStudy.Web.Auth;

/// <summary>
/// The step between the password and the console for an account with a second factor: a short,
/// separate cookie (rs_2fa, sent only to /signin) names the account and its password stamp; it
/// opens nothing but the code page. And the rule that an admin signing in with a password and no
/// second factor can reach only the enrolment page until they have one.
/// </summary>
public static class SecondFactor
{
    public const string Scheme = "StaffSecondFactor";
    public const string CookieName = "rs_2fa";
    public const string CodePath = "/signin/code";
    public const string EnrolPath = "/account/two-factor";

    /// <summary>On a console cookie: this admin must enrol before anything else.</summary>
    public const string MustEnrolClaim = "rs_enrol";

    public static readonly TimeSpan PendingFor = TimeSpan.FromMinutes(5);

    public static AuthenticationBuilder AddSecondFactorCookie(this AuthenticationBuilder builder) =>
        builder.AddCookie(Scheme, options =>
        {
            options.Cookie.Name = CookieName;
            options.Cookie.Path = "/signin";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = PendingFor;
            options.SlidingExpiration = false;
        });

    /// <summary>True when this account signing in with a password must enrol first.</summary>
    public static bool MustEnrol(StaffUser user, StaffAuthOptions options) =>
        options.RequireAdminSecondFactor && user.Role == StaffRole.Admin && user.TotpConfirmedAt is null;

    /// <summary>The pending cookie's principal: who passed the password check, and with which password.</summary>
    public static ClaimsPrincipal Pending(StaffUser user) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(CultureInfo.InvariantCulture)),
        new Claim(ClaimTypes.Name, user.Email),
        new Claim(StaffClaims.Stamp, StaffClaims.StampOf(user.PasswordHash)),
    ], Scheme));

    /// <summary>Sends an admin who still has to enrol to the enrolment page, whatever they ask for (sign-out aside).</summary>
    public static void UseSecondFactorEnrolment(this WebApplication app) =>
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            if (context.User.HasClaim(MustEnrolClaim, "1") && !path.Equals(EnrolPath, StringComparison.OrdinalIgnoreCase)
                && !path.Equals("/signout", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Redirect(EnrolPath);
                return;
            }
            await next();
        });
}

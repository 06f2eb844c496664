using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;
using RecoveryStudy.Web.Hosting;

namespace RecoveryStudy.Web.Auth;

/// <summary>
/// Staff sign-in: a cookie (HttpOnly, SameSite=Strict) protected by a Data Protection key ring
/// kept in PostgreSQL, so any node can read a cookie another node wrote; role policies; and a
/// fallback policy that refuses every endpoint that does not state who may use it.
/// </summary>
public static class StaffAuth
{
    public const string CookieName = "rs_staff";
    public const string SignInPath = "/signin";
    public const string ApplicationName = "RecoveryStudy";

    public static IHostApplicationBuilder AddStaffAuth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StaffAuthOptions>().BindConfiguration(StaffAuthOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var session = TimeSpan.FromMinutes(builder.Configuration.GetValue($"{StaffAuthOptions.Section}:SessionMinutes", new StaffAuthOptions().SessionMinutes));

        builder.Services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToDbContext<StudyDbContext>()
            .ProtectKeysAsConfigured(builder.Configuration); // encrypted at rest when a certificate is configured

        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = CookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.LoginPath = SignInPath;
                options.LogoutPath = "/signout";
                options.ExpireTimeSpan = session;
                options.SlidingExpiration = true;
                options.Events.OnValidatePrincipal = ValidateAsync;
                options.Events.OnRedirectToAccessDenied = DenyAsync;
            })
            .AddSecondFactorCookie()
            .AddStaffOidc(builder.Configuration); // only when StaffAuth:Oidc:Authority is set
        builder.Services.AddAuthorization(StaffPolicies.Add);
        // Study membership and sites, decided for every page and endpoint in one handler.
        builder.Services.AddScoped<StudyAccess>();
        builder.Services.AddScoped<IAuthorizationHandler, StudyAuthorizationHandler>();
        builder.Services.AddScoped<StaffSignIn>();
        builder.Services.AddScoped<StaffSessions>();
        builder.Services.AddScoped<StaffTotp>();
        builder.Services.AddScoped<SecondFactorSignIn>();
        builder.Services.TryAddSingleton<IPasswordHasher<StaffUser>, PasswordHasher<StaffUser>>();
        // The limiter middleware itself runs from UseParticipantPages (app.UseRateLimiter).
        builder.Services.AddRateLimiter(options => options.AddPolicy<string, SignInThrottle>(SignInThrottle.Policy));
        return builder;
    }

    /// <summary>
    /// Checks the session and the account on every request, so that signing out, disabling the
    /// account, changing its role or its password takes effect at once rather than when the cookie expires.
    /// </summary>
    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var sessions = context.HttpContext.RequestServices.GetRequiredService<StaffSessions>();
        if (!await sessions.IsOpenAsync(context.Principal ?? new ClaimsPrincipal(), context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    // A signed-in staff member without the right role gets a plain 403 page, not a redirect loop.
    private static Task DenyAsync(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(
            """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Not allowed - RecoveryStudy</title>
            <link rel="stylesheet" href="/css/console.css"></head>
            <body><main class="narrow"><h1>Not allowed</h1>
            <p>Your role does not give access to this page. Ask an admin if you need it.</p>
            <p><a href="/">Back to the console</a></p></main></body></html>
            """);
    }
}

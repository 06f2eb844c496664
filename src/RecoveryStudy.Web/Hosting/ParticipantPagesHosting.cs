using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using RecoveryStudy.Web.Pages.Survey;

namespace RecoveryStudy.Web.Hosting;

/// <summary>
/// What the participant pages (/s/, /u/, /survey, /unsubscribe, /b/, /booking) need from the host: their
/// languages, the session cookie's key ring, a throttle on link look-ups, and a friendly answer
/// to a refused form.
/// </summary>
public static class ParticipantPagesHosting
{
    public const string LinkRateLimitPolicy = "participant-links";
    public const string LanguageCookie = "rs_lang";
    public const string LanguageQuery = "lang";
    public static readonly string[] Languages = ["en", "pl", "da"];
    private static readonly string[] ParticipantPaths = ["/s/", "/u/", "/survey", "/unsubscribe", "/b/", "/booking"];

    public static IHostApplicationBuilder AddParticipantPages(this IHostApplicationBuilder builder)
    {
        builder.Services.AddLocalization();
        // The session cookie is protected with the shared key ring in PostgreSQL (set up with the
        // staff sign-in), so every node reads every participant's session.
        builder.Services.AddSingleton<ParticipantSessions>();
        builder.Services.Configure<RazorPagesOptions>(options =>
        {
            options.Conventions.AddFolderApplicationModelConvention("/Survey", model => model.Filters.Add(new FormRefusedFilter()));
            options.Conventions.AddFolderApplicationModelConvention("/Unsubscribe", model => model.Filters.Add(new FormRefusedFilter()));
        });

        // Throttle, never lock out: many participants share one address (clinics, NAT). Behind a
        // reverse proxy the forwarded headers must be configured, or everyone shares the proxy's.
        var perMinute = builder.Configuration.GetValue("Participants:LinkRequestsPerMinute", 30);
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, ct) => TooManyRequestsPage.WriteAsync(context.HttpContext, ct);
            options.AddPolicy(LinkRateLimitPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });

        // Request lines carry link tokens; they must not reach the logs even when someone turns
        // ASP.NET Core's logging up to find a problem.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        return builder;
    }

    public static void UseParticipantPages(this WebApplication app)
    {
        app.UseWhen(IsParticipantPath, branch =>
        {
            branch.UseRequestLocalization(options =>
            {
                options.SetDefaultCulture(Languages[0]).AddSupportedCultures(Languages).AddSupportedUICultures(Languages);
                options.RequestCultureProviders = [new ParticipantCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
            });
            branch.Use(RememberLanguageChoice);
        });
        app.UseRateLimiter();
    }

    public static bool IsLanguage(string? value) => value is not null && Languages.Contains(value);

    public static bool IsParticipantPath(HttpContext context) =>
        ParticipantPaths.Any(p => context.Request.Path.StartsWithSegments(p.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));

    /// <summary>A language picked with ?lang= stays picked on the following pages of this browser session.</summary>
    private static Task RememberLanguageChoice(HttpContext context, Func<Task> next)
    {
        if (context.Request.Query.TryGetValue(LanguageQuery, out var chosen) && IsLanguage(chosen.ToString()))
        {
            context.Response.Cookies.Append(LanguageCookie, chosen.ToString(), new CookieOptions
            {
                HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = context.Request.IsHttps, IsEssential = true, Path = "/",
            });
        }
        return next();
    }

    /// <summary>The language: picked on the page, else the participant's own, else the browser's.</summary>
    private sealed class ParticipantCultureProvider : RequestCultureProvider
    {
        public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext context)
        {
            var sessions = context.RequestServices.GetRequiredService<ParticipantSessions>();
            var candidates = new[]
            {
                context.Request.Query[LanguageQuery].ToString(),
                context.Request.Cookies[LanguageCookie],
                sessions.Language(context, ParticipantSessions.SurveyCookie),
                sessions.Language(context, ParticipantSessions.UnsubscribeCookie),
                sessions.Language(context, ParticipantSessions.BookingCookie),
            };
            var language = candidates.FirstOrDefault(IsLanguage);
            return Task.FromResult(language is null ? null : new ProviderCultureResult(language));
        }
    }
}
